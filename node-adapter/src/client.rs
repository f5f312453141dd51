//! A blocking HTTP client for the validator API (used by `gloam node submit/status` and the
//! tests).

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::api::Status;
use crate::types::{Tx, TxId};

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The node refused (HTTP status, error code, reason).
    #[error("refused ({code}): {reason}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Stable error code (`duplicate`, `invalid_proof`, ...).
        code: String,
        /// Readable reason.
        reason: String,
    },
    /// No answer (connection refused, timeout, bad JSON).
    #[error("cannot reach the node at {url}: {why}")]
    Unreachable {
        /// The URL asked.
        url: String,
        /// What went wrong.
        why: String,
    },
}

/// A client of one validator's API.
#[derive(Clone, Debug)]
pub struct Client {
    base: String,
    agent: ureq::Agent,
}

impl Client {
    /// A client of `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: &str) -> Self {
        let base = base.trim_end_matches('/').to_string();
        let base = if base.starts_with("http://") || base.starts_with("https://") {
            base
        } else {
            format!("http://{base}")
        };
        Self {
            base,
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(30))
                .build(),
        }
    }

    fn answer(
        &self,
        url: &str,
        r: Result<ureq::Response, ureq::Error>,
    ) -> Result<Value, ClientError> {
        match r {
            Ok(resp) => resp.into_json().map_err(|e| ClientError::Unreachable {
                url: url.into(),
                why: e.to_string(),
            }),
            Err(ureq::Error::Status(status, resp)) => {
                let v: Value = resp.into_json().unwrap_or(Value::Null);
                Err(ClientError::Refused {
                    status,
                    code: v["error"].as_str().unwrap_or("error").to_string(),
                    reason: v["reason"]
                        .as_str()
                        .unwrap_or("(no reason given)")
                        .to_string(),
                })
            }
            Err(e) => Err(ClientError::Unreachable {
                url: url.into(),
                why: e.to_string(),
            }),
        }
    }

    /// `GET path` as JSON.
    ///
    /// # Errors
    /// [`ClientError`].
    pub fn get(&self, path: &str) -> Result<Value, ClientError> {
        let url = format!("{}{path}", self.base);
        self.answer(&url, self.agent.get(&url).call())
    }

    /// The node's status.
    ///
    /// # Errors
    /// [`ClientError`].
    pub fn status(&self) -> Result<Status, ClientError> {
        let v = self.get("/v1/status")?;
        serde_json::from_value(v).map_err(|e| ClientError::Unreachable {
            url: format!("{}/v1/status", self.base),
            why: e.to_string(),
        })
    }

    /// Submits a transaction; returns its id.
    ///
    /// # Errors
    /// [`ClientError::Refused`] with the node's reason.
    pub fn submit(&self, tx: &Tx) -> Result<TxId, ClientError> {
        let url = format!("{}/v1/tx", self.base);
        let v = self.answer(
            &url,
            self.agent
                .post(&url)
                .set("content-type", "application/octet-stream")
                .send_bytes(&tx.to_bytes()),
        )?;
        Ok(tx_id_of(&v).unwrap_or_else(|| tx.id()))
    }

    /// Whether a contract is deployed.
    ///
    /// # Errors
    /// [`ClientError`] other than "not found".
    pub fn contract_deployed(&self, program_hash: &[u8; 32]) -> Result<bool, ClientError> {
        match self.get(&format!(
            "/v1/contracts/{}",
            crate::types::hex(program_hash)
        )) {
            Ok(_) => Ok(true),
            Err(ClientError::Refused { status: 404, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// A finalized account (`None` if the key has none).
    ///
    /// # Errors
    /// [`ClientError`] other than "not found".
    pub fn account(
        &self,
        public_key: &[u8; 32],
    ) -> Result<Option<crate::state::Account>, ClientError> {
        match self.get(&format!("/v1/accounts/{}", crate::types::hex(public_key))) {
            Ok(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| ClientError::Unreachable {
                    url: format!("{}/v1/accounts", self.base),
                    why: format!("bad answer: {e}"),
                }),
            Err(ClientError::Refused { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Waits until `id` is finalized; returns its height.
    ///
    /// # Errors
    /// [`ClientError`]; `Unreachable` with "timed out" after `timeout`.
    pub fn wait_finalized(&self, id: &TxId, timeout: Duration) -> Result<u64, ClientError> {
        let start = Instant::now();
        loop {
            match self.get(&format!("/v1/tx/{id}")) {
                Ok(v) if v["status"] == "finalized" => {
                    return Ok(v["height"].as_u64().unwrap_or(0));
                }
                Ok(_) | Err(ClientError::Refused { status: 404, .. }) => {}
                Err(e) => return Err(e),
            }
            if start.elapsed() > timeout {
                return Err(ClientError::Unreachable {
                    url: format!("{}/v1/tx/{id}", self.base),
                    why: format!("timed out after {timeout:?} waiting for finality"),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn tx_id_of(v: &Value) -> Option<TxId> {
    crate::types::parse_hash(v["id"].as_str()?).map(TxId)
}
