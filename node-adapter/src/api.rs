//! The HTTP JSON API (axum), served on loopback by each validator process.
//!
//! | method and path | body | answer |
//! |---|---|---|
//! | `POST /v1/tx` | a canonical transaction ([`crate::types`]) | `200 {"id", "kind"}`, or `4xx/503 {"error", "reason"}` |
//! | `GET /v1/status` | | [`Status`] |
//! | `GET /v1/blocks/latest`, `GET /v1/blocks/{height}` | | a finalized block |
//! | `GET /v1/tx/{id}` | | `{"id", "status": "finalized", "height", "index", "tx"}` (`tx`: the transaction as in a block, a run with its `public_input` and `journal` in hex) or `{"status": "pending"}`; 404 if unknown |
//! | `GET /v1/contracts/{program_hash}` | | `{"program_hash", "module_bytes"}`; 404 if not deployed |
//! | `GET /v1/accounts/{public_key}` | | `{"public_key", "balance", "bonded", "nonce", "address"}` (finalized); 404 if none |
//! | `GET /v1/notes?from=K&limit=L` | | `{"contract", "depth", "root", "recent_roots", "count", "from", "commitments"}`: the finalized note tree ([`crate::notes`]), commitments `K..K+L` (at most [`MAX_NOTES_PER_PAGE`]); `contract` null on a chain without notes |
//! | `GET /v1/nullifiers/{nullifier}` | | `{"nullifier", "spent", "tx"}` (`tx` the spending transfer, or null) |
//!
//! Refusals carry a stable `error` code ([`SubmitError::code`]) and a readable `reason`:
//! 400 `malformed`, 409 `duplicate` / `stale_nonce` / `stake_refused` / `double_spend` /
//! `unknown_root` / `note_refused`, 422
//! `unknown_contract` / `invalid_module` / `invalid_proof` / `invalid_signature`, 503
//! `mempool_full`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use commonware_runtime::{Spawner, Supervisor};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::engine::Submitter;
use crate::node::{median_p99, SubmitError};
use crate::types::{hex, parse_hash, Block, Tx, TxId, MAX_TX_BYTES};

/// `GET /v1/status`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Status {
    /// This validator's public key (hex).
    pub public_key: String,
    /// Height of the last finalized block applied here.
    pub height: u64,
    /// Finalized height reported by consensus (ahead of `height` while catching up).
    pub network_height: u64,
    /// Transactions finalized so far.
    pub finalized_txs: u64,
    /// State root after `height` (hex).
    pub state_root: String,
    /// The chain's genesis hash (hex; stake transactions sign it).
    pub chain: String,
    /// The epoch consensus runs here.
    pub epoch: u64,
    /// Whether this node is a validator of `epoch` (else it observes).
    pub voting: bool,
    /// Blocks per epoch.
    pub epoch_length: u64,
    /// The validator set of `epoch`: public keys (hex), stakes, addresses.
    pub validators: Vec<ValidatorInfo>,
    /// Transactions waiting in the mempool.
    pub mempool: usize,
    /// Blocks this validator proposed.
    pub proposed_blocks: u64,
    /// Blocks this validator refused to vote for.
    pub rejected_blocks: u64,
    /// Why the last block was refused.
    pub last_rejection: Option<String>,
    /// Proof verifications run here.
    pub verifications: u64,
    /// Median proof-verification time (milliseconds).
    pub verify_ms_median: Option<f64>,
    /// 99th-percentile proof-verification time (milliseconds).
    pub verify_ms_p99: Option<f64>,
    /// Median time from submission here to finality (milliseconds).
    pub finality_ms_median: Option<f64>,
    /// 99th-percentile time from submission here to finality (milliseconds).
    pub finality_ms_p99: Option<f64>,
    /// Recorded equivocation evidence.
    pub evidence: usize,
}

/// One validator in [`Status::validators`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ValidatorInfo {
    /// ed25519 public key (hex).
    pub public_key: String,
    /// Stake.
    pub stake: u64,
    /// p2p address.
    pub address: String,
}

struct Api<E> {
    ctx: E,
    submitter: Submitter,
    public_key: String,
}

type Shared<E> = Arc<Api<E>>;

/// The API router over one validator. `ctx` spawns proof verifications.
pub fn router<E>(ctx: E, submitter: Submitter, public_key: String) -> Router
where
    E: Spawner + Supervisor + Send + Sync + 'static,
{
    let state: Shared<E> = Arc::new(Api {
        ctx,
        submitter,
        public_key,
    });
    Router::new()
        .route("/v1/tx", post(submit::<E>))
        .route("/v1/tx/{id}", get(tx::<E>))
        .route("/v1/status", get(status::<E>))
        .route("/v1/blocks/latest", get(latest::<E>))
        .route("/v1/blocks/{height}", get(block::<E>))
        .route("/v1/contracts/{hash}", get(contract::<E>))
        .route("/v1/accounts/{key}", get(account::<E>))
        .route("/v1/notes", get(notes::<E>))
        .route("/v1/nullifiers/{nf}", get(nullifier::<E>))
        .layer(DefaultBodyLimit::max(MAX_TX_BYTES + 1))
        .with_state(state)
}

fn refusal(code: StatusCode, error: &str, reason: String) -> Response {
    (code, Json(json!({ "error": error, "reason": reason }))).into_response()
}

async fn submit<E: Spawner + Supervisor + Send + Sync + 'static>(
    State(api): State<Shared<E>>,
    body: Bytes,
) -> Response {
    let ctx = api.ctx.child("api_submit");
    match api.submitter.submit(&ctx, &body).await {
        Ok(id) => {
            let kind = Tx::from_bytes(&body).map(|t| t.kind()).unwrap_or("?");
            Json(json!({ "id": id.to_string(), "kind": kind })).into_response()
        }
        Err(e) => {
            let code = match &e {
                SubmitError::Malformed(_) => StatusCode::BAD_REQUEST,
                SubmitError::Duplicate(..) => StatusCode::CONFLICT,
                SubmitError::Conflict(crate::state::Conflict::UnknownContract(_)) => {
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                SubmitError::Conflict(_) => StatusCode::CONFLICT,
                SubmitError::MempoolFull => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            refusal(code, e.code(), e.to_string())
        }
    }
}

/// The status of a validator (also used by embedded callers).
pub fn status_of(submitter: &Submitter, public_key: &str) -> Status {
    let node = &submitter.node;
    let (epoch, voting) = node.epoch_status();
    let validators = node
        .epoch_set(epoch)
        .map(|set| {
            set.members
                .iter()
                .map(|m| ValidatorInfo {
                    public_key: hex(&m.key),
                    stake: m.stake,
                    address: m.address.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let tip = node.tip();
    let m = node.metrics();
    let v = median_p99(&m.verify_seconds);
    let f = median_p99(&node.finality_seconds());
    Status {
        public_key: public_key.to_string(),
        height: tip.height,
        network_height: (*node.network_tip.lock().unwrap()).max(tip.height),
        finalized_txs: tip.finalized_txs,
        state_root: hex(&tip.leaves.root()),
        chain: hex(&node.chain().hash),
        epoch,
        voting,
        epoch_length: node.chain().params.epoch_length,
        validators,
        mempool: node.mempool_len(),
        proposed_blocks: m.proposed,
        rejected_blocks: m.rejected_blocks,
        last_rejection: m.last_rejection,
        verifications: m.verifications,
        verify_ms_median: v.map(|x| x.0 * 1e3),
        verify_ms_p99: v.map(|x| x.1 * 1e3),
        finality_ms_median: f.map(|x| x.0 * 1e3),
        finality_ms_p99: f.map(|x| x.1 * 1e3),
        evidence: node.store().evidence().map(|e| e.len()).unwrap_or(0),
    }
}

async fn status<E>(State(api): State<Shared<E>>) -> Json<Status> {
    Json(status_of(&api.submitter, &api.public_key))
}

/// JSON view of a transaction (a run with its public input and journal, lowercase hex).
pub fn tx_json(t: &Tx) -> Value {
    match t {
        Tx::Deploy { module } => json!({
            "id": t.id().to_string(), "kind": "deploy",
            "module_bytes": module.len(),
        }),
        Tx::Run(r) => json!({
            "id": t.id().to_string(), "kind": "run",
            "program_hash": hex(&r.program_hash), "entry": r.entry,
            "args": values_json(&r.args), "results": values_json(&r.results),
            "arg_types": types_json(&r.args), "result_types": types_json(&r.results),
            "cycles": r.cycles,
            "public_input": hex(&r.public_input), "journal": hex(&r.journal),
            "zero_knowledge": r.zero_knowledge, "segmented": r.segmented, "proof_bytes": r.stark.len(),
        }),
        Tx::Stake(st) => json!({
            "id": t.id().to_string(), "kind": "stake",
            "public_key": hex(st.public_key.as_ref()), "bond": st.bond,
            "address": st.address, "nonce": st.nonce,
        }),
    }
}

/// JSON view of a block.
pub fn block_json(b: &Block) -> Value {
    let txs: Vec<Value> = b.txs.iter().map(tx_json).collect();
    json!({
        "height": b.height.get(),
        "digest": hex(&commonware_cryptography::Digestible::digest(b).0),
        "parent": hex(&b.parent.0),
        "timestamp_ms": b.timestamp_ms,
        "state_root": hex(&b.state_root),
        "tx_root": hex(&b.tx_root()),
        "txs": txs,
    })
}

/// A 32-byte path parameter, or the 400 refusal naming `what` it should be.
fn hash_param(s: &str, what: &str) -> Result<[u8; 32], Box<Response>> {
    parse_hash(s).ok_or_else(|| {
        Box::new(refusal(
            StatusCode::BAD_REQUEST,
            "malformed",
            format!("{what} is 64 hex digits"),
        ))
    })
}

fn not_found(what: String) -> Response {
    refusal(StatusCode::NOT_FOUND, "not_found", what)
}

async fn block<E>(State(api): State<Shared<E>>, Path(height): Path<u64>) -> Response {
    match api.submitter.node.store().block(height) {
        Ok(Some(b)) => Json(block_json(&b)).into_response(),
        Ok(None) => not_found(format!("no finalized block at height {height}")),
        Err(e) => refusal(StatusCode::INTERNAL_SERVER_ERROR, "storage", e.to_string()),
    }
}

async fn latest<E>(State(api): State<Shared<E>>) -> Response {
    let h = api.submitter.node.tip().height;
    block(State(api), Path(h)).await
}

async fn tx<E>(State(api): State<Shared<E>>, Path(id): Path<String>) -> Response {
    let id = match hash_param(&id, "a transaction id") {
        Ok(h) => TxId(h),
        Err(r) => return *r,
    };
    let store = api.submitter.node.store();
    match store.tx_location(&id) {
        Ok(Some(loc)) => {
            let tx = match store.block(loc.height) {
                Ok(Some(b)) => b.txs.get(loc.index as usize).map(tx_json),
                _ => None,
            };
            Json(json!({
                "id": id.to_string(), "status": "finalized",
                "height": loc.height, "index": loc.index, "tx": tx,
            }))
            .into_response()
        }
        Ok(None) if api.submitter.node.is_pending(&id) => {
            Json(json!({ "id": id.to_string(), "status": "pending" })).into_response()
        }
        Ok(None) => not_found(format!("unknown transaction {id}")),
        Err(e) => refusal(StatusCode::INTERNAL_SERVER_ERROR, "storage", e.to_string()),
    }
}

async fn contract<E>(State(api): State<Shared<E>>, Path(hash): Path<String>) -> Response {
    let h = match hash_param(&hash, "a program hash") {
        Ok(h) => h,
        Err(r) => return *r,
    };
    match api.submitter.node.store().contract(&h) {
        Ok(Some(m)) => {
            Json(json!({ "program_hash": hex(&h), "module_bytes": m.len() })).into_response()
        }
        Ok(None) => not_found(format!("contract {} is not deployed", hex(&h))),
        Err(e) => refusal(StatusCode::INTERNAL_SERVER_ERROR, "storage", e.to_string()),
    }
}

async fn account<E>(State(api): State<Shared<E>>, Path(key): Path<String>) -> Response {
    let k = match hash_param(&key, "a public key") {
        Ok(k) => k,
        Err(r) => return *r,
    };
    match api.submitter.node.tip().leaves.account(&k) {
        Some(a) => Json(json!({
            "public_key": hex(&k), "balance": a.balance, "bonded": a.bonded,
            "nonce": a.nonce, "address": a.address,
        }))
        .into_response(),
        None => not_found(format!("no account for key {}", hex(&k))),
    }
}

/// Most note commitments one `GET /v1/notes` returns.
pub const MAX_NOTES_PER_PAGE: usize = 4096;

/// `GET /v1/notes?from=K&limit=L` paging.
#[derive(serde::Deserialize)]
struct NotesPage {
    from: Option<usize>,
    limit: Option<usize>,
}

async fn notes<E>(
    State(api): State<Shared<E>>,
    axum::extract::Query(page): axum::extract::Query<NotesPage>,
) -> Response {
    let leaves = api.submitter.node.tip().leaves;
    let n = leaves.notes();
    let from = page.from.unwrap_or(0).min(n.commitments.len());
    let limit = page
        .limit
        .unwrap_or(MAX_NOTES_PER_PAGE)
        .min(MAX_NOTES_PER_PAGE);
    let to = (from + limit).min(n.commitments.len());
    Json(json!({
        "contract": n.contract.map(|c| hex(&c)),
        "depth": n.depth,
        "root": hex(&n.root()),
        "recent_roots": n.roots.iter().map(|r| hex(r)).collect::<Vec<_>>(),
        "count": n.commitments.len(),
        "from": from,
        "commitments": n.commitments[from..to].iter().map(|c| hex(c)).collect::<Vec<_>>(),
    }))
    .into_response()
}

async fn nullifier<E>(State(api): State<Shared<E>>, Path(nf): Path<String>) -> Response {
    let k = match hash_param(&nf, "a nullifier") {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let leaves = api.submitter.node.tip().leaves;
    let tx = leaves.spent_by(&k);
    Json(json!({ "nullifier": hex(&k), "spent": tx.is_some(), "tx": tx.map(|t| hex(&t)) }))
        .into_response()
}

/// Typed values as JSON numbers (their bit patterns).
pub fn values_json(v: &[gloam_verifier::isa::IntValue]) -> Value {
    json!(v.iter().map(|x| x.bits()).collect::<Vec<_>>())
}

/// The types of typed values (`["i32", "i64"]`).
pub fn types_json(v: &[gloam_verifier::isa::IntValue]) -> Value {
    json!(v.iter().map(|x| x.ty().to_string()).collect::<Vec<_>>())
}
