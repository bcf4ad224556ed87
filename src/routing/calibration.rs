//! Turning raw head logits into confidences that can be trusted: temperature
//! scaling fitted on held-out predictions, and an abstention threshold
//! chosen by what each kind of mistake costs.

/// Softmax of `logits / temperature`.
pub fn softmax(logits: &[f32], temperature: f32) -> Vec<f32> {
    let scaled: Vec<f32> = logits.iter().map(|l| l / temperature).collect();
    let max = scaled.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = scaled.iter().map(|l| (l - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter().map(|e| e / sum).collect()
}

/// Mean negative log-likelihood of the true classes.
pub fn nll(logits: &[Vec<f32>], labels: &[usize], temperature: f32) -> f32 {
    let total: f32 = logits
        .iter()
        .zip(labels)
        .map(|(row, &label)| -softmax(row, temperature)[label].max(1e-12).ln())
        .sum();
    total / logits.len().max(1) as f32
}

/// The temperature in [0.05, 10] minimising held-out NLL, by a coarse grid
/// then a fine one around the best point (NLL in T is smooth and unimodal
/// in practice, and this is cheap for a few thousand rows).
pub fn fit_temperature(logits: &[Vec<f32>], labels: &[usize]) -> f32 {
    let best_on = |grid: Vec<f32>| {
        grid.into_iter()
            .map(|t| (t, nll(logits, labels, t)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(t, _)| t)
            .unwrap_or(1.0)
    };

    let coarse = best_on((1..=200).map(|i| i as f32 * 0.05).collect());
    best_on(
        (-50..=50)
            .map(|i| coarse + i as f32 * 0.001)
            .filter(|t| *t >= 0.01)
            .collect(),
    )
}

/// Expected calibration error over 10 equal-width confidence bins.
pub fn expected_calibration_error(confidences: &[f32], correct: &[bool]) -> f32 {
    const BINS: usize = 10;
    let mut sum_conf = [0f32; BINS];
    let mut sum_hit = [0f32; BINS];
    let mut count = [0usize; BINS];
    for (&conf, &hit) in confidences.iter().zip(correct) {
        let bin = ((conf * BINS as f32) as usize).min(BINS - 1);
        sum_conf[bin] += conf;
        sum_hit[bin] += f32::from(u8::from(hit));
        count[bin] += 1;
    }

    let n = confidences.len().max(1) as f32;
    (0..BINS)
        .filter(|&b| count[b] > 0)
        .map(|b| (sum_conf[b] - sum_hit[b]).abs() / n)
        .sum()
}

/// The confidence below which asking the patient is cheaper than guessing.
///
/// Sending an inquiry to the wrong team costs a transfer and a delay (1.0);
/// asking a clarifying question costs the patient one click (`abstain_cost`).
/// The threshold minimises the total cost over held-out predictions, within
/// `[floor, ceiling]` so a small data set cannot push it to an extreme.
pub fn choose_threshold(
    confidences: &[f32],
    correct: &[bool],
    abstain_cost: f32,
    floor: f32,
    ceiling: f32,
) -> f32 {
    let cost_at = |threshold: f32| -> f32 {
        confidences
            .iter()
            .zip(correct)
            .map(|(&conf, &hit)| match (conf >= threshold, hit) {
                (true, true) => 0.0,
                (true, false) => 1.0,
                (false, _) => abstain_cost,
            })
            .sum()
    };

    let steps = ((ceiling - floor) / 0.01).round() as i32;
    (0..=steps)
        .map(|i| floor + i as f32 * 0.01)
        .map(|t| (t, cost_at(t)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(t, _)| t)
        .unwrap_or(floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_sums_to_one_and_temperature_flattens() {
        let sharp = softmax(&[2.0, 0.0, -1.0], 1.0);
        let flat = softmax(&[2.0, 0.0, -1.0], 4.0);

        assert!((sharp.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(flat[0] < sharp[0]);
    }

    #[test]
    fn overconfident_logits_get_a_temperature_above_one() {
        // Right only 3 times in 4 yet always 99.99% sure: T must grow.
        let logits = vec![vec![10.0, 0.0]; 4];
        let labels = vec![0, 0, 0, 1];

        let t = fit_temperature(&logits, &labels);

        assert!(t > 2.0, "temperature {t}");
        let conf = softmax(&logits[0], t)[0];
        assert!((conf - 0.75).abs() < 0.02, "confidence {conf}");
    }

    #[test]
    fn threshold_abstains_where_guesses_are_mostly_wrong() {
        let confidences = [0.95, 0.9, 0.85, 0.8, 0.35, 0.3, 0.25];
        let correct = [true, true, true, true, false, false, true];

        let t = choose_threshold(&confidences, &correct, 0.4, 0.2, 0.7);

        assert!(t > 0.35 && t <= 0.8, "threshold {t}");
    }

    #[test]
    fn calibration_error_is_zero_when_confidence_matches_accuracy() {
        let confidences = [0.75; 4];
        let correct = [true, true, true, false];

        assert!(expected_calibration_error(&confidences, &correct) < 1e-6);
    }
}
