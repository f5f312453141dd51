//! The field prelude: the only place `air` names `winterfell`'s field types. Families, buses
//! and the checker import field arithmetic from here, so a change of proving backend touches
//! this file, [`crate::air`], the prover and the verifier, not the constraints.
//!
//! Base field: Goldilocks, `p = 2^64 - 2^32 + 1` ([`Felt`]); the auxiliary segment uses its
//! quadratic extension (any `E: FieldElement<BaseField = Felt> + ExtensionOf<F>`).

pub use winterfell::math::fields::f64::BaseElement as Felt;
pub use winterfell::math::{ExtensionOf, FieldElement, StarkField, ToElements};

/// A constant as a field element.
#[inline(always)]
pub fn k<E: FieldElement<BaseField = Felt>>(v: u64) -> E {
    E::from(Felt::new(v))
}

/// 2^32 as a field element.
#[inline(always)]
pub fn two32<E: FieldElement<BaseField = Felt>>() -> E {
    k(1 << 32)
}
