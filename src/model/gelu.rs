//! GELU with the exact (erf) definition BERT was trained with, computed by
//! a branch-free polynomial the compiler can vectorise. candle's own
//! `gelu_erf` calls a scalar `erff` per element, which profiled at about a
//! sixth of the encoder's time.

use candle_core::{CpuStorage, CustomOp1, Layout, Result, Shape};

/// The op to pass to `Tensor::apply_op1_no_bwd` (inference only).
pub struct Gelu;

impl CustomOp1 for Gelu {
    fn name(&self) -> &'static str {
        "careline-gelu-erf"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let CpuStorage::F32(data) = storage else {
            candle_core::bail!("careline gelu expects f32 input");
        };
        let Some((start, end)) = layout.contiguous_offsets() else {
            candle_core::bail!("careline gelu expects contiguous input");
        };

        let out: Vec<f32> = data[start..end].iter().map(|&x| gelu(x)).collect();
        Ok((CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// 0.5 x (1 + erf(x / sqrt 2)).
#[inline(always)]
pub fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, under
/// f32 resolution near 1).
#[inline(always)]
fn erf(x: f32) -> f32 {
    const P: f32 = 0.327_591_1;
    const A: [f32; 5] = [
        0.254_829_6,
        -0.284_496_74,
        1.421_413_8,
        -1.453_152_1,
        1.061_405_4,
    ];

    let a = x.abs();
    let t = 1.0 / (1.0 + P * a);
    let poly = t * (A[0] + t * (A[1] + t * (A[2] + t * (A[3] + t * A[4]))));
    let y = 1.0 - poly * exp(-a * a);
    y.copysign(x)
}

/// e^x for x <= 0 by range reduction to 2^n * e^r with |r| <= ln2/2 and a
/// degree-6 Taylor polynomial (relative error about 1e-7).
#[inline(always)]
fn exp(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    // Adding and removing 1.5 * 2^23 rounds to the nearest integer without
    // a branch or a libm call.
    const ROUND: f32 = 12_582_912.0;

    let x = x.max(-87.0);
    let n = (x * LOG2E + ROUND) - ROUND;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r / 720.0)))));
    let scale = f32::from_bits(((n as i32 + 127) as u32) << 23);
    p * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_gelu(x: f64) -> f64 {
        0.5 * x * (1.0 + libm_erf(x / std::f64::consts::SQRT_2))
    }

    /// erf by its Taylor series, precise in f64 on the tested range.
    fn libm_erf(x: f64) -> f64 {
        let mut sum = 0.0;
        let mut term = x;
        for n in 0..200 {
            sum += term / (2 * n + 1) as f64;
            term *= -x * x / (n + 1) as f64;
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn matches_exact_gelu_across_the_activation_range() {
        let mut worst: f64 = 0.0;
        for i in -6000..=6000 {
            let x = i as f64 / 1000.0;
            let error = (f64::from(gelu(x as f32)) - exact_gelu(x)).abs();
            worst = worst.max(error);
        }

        assert!(worst < 2e-6, "worst absolute error {worst}");
    }

    #[test]
    fn large_inputs_saturate() {
        assert_eq!(gelu(-100.0), 0.0);
        assert!((gelu(100.0) - 100.0).abs() < 1e-4);
    }
}
