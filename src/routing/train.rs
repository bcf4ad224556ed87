//! Training the router head from `intents/`: class-balanced, seeded, and
//! calibrated on out-of-fold predictions from k-fold cross-validation.

use candle_core::{D, Device, Tensor};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::RoutingError;
use super::artifact::{CrossValidation, RouterMeta, TRAINER_VERSION};
use super::calibration::{choose_threshold, expected_calibration_error, fit_temperature, softmax};
use super::head::{Head, HeadVars};
use super::intents::{IntentSet, OUT_OF_SCOPE};
use crate::model::{EMBEDDING_DIM, Embedding, Encoder, ModelFiles};

#[derive(Debug, Clone)]
pub struct TrainingOptions {
    pub seed: u64,
    pub hidden_units: usize,
    pub epochs: usize,
    pub learning_rate: f64,
    pub weight_decay: f64,
    pub folds: usize,
    /// Cost of a clarifying question relative to a misrouted inquiry (1.0).
    pub abstain_cost: f32,
}

impl Default for TrainingOptions {
    fn default() -> Self {
        Self {
            seed: 20_261_203,
            hidden_units: 256,
            epochs: 300,
            learning_rate: 3e-3,
            weight_decay: 1e-2,
            folds: 5,
            abstain_cost: 0.4,
        }
    }
}

pub struct TrainedRouter {
    pub head: Head,
    pub meta: RouterMeta,
}

/// Examples as embeddings with class indices.
struct Dataset {
    embeddings: Vec<Embedding>,
    labels: Vec<usize>,
    classes: Vec<String>,
}

pub fn train(
    intents: &IntentSet,
    encoder: &Encoder,
    options: &TrainingOptions,
) -> Result<TrainedRouter, RoutingError> {
    let started = std::time::Instant::now();
    let data = embed_examples(intents, encoder)?;
    tracing::info!(
        examples = data.labels.len(),
        classes = data.classes.len(),
        embed_ms = started.elapsed().as_millis() as u64,
        "router training data embedded"
    );

    let cv = cross_validate(&data, options)?;
    let head = fit(&data, &all_indices(&data), options)?;

    let meta = RouterMeta {
        trainer_version: TRAINER_VERSION,
        intents_hash: intents.hash.clone(),
        encoder_fingerprint: ModelFiles::fingerprint(),
        classes: data.classes.clone(),
        temperature: cv.temperature,
        abstain_threshold: cv.threshold,
        secondary_threshold: cv.threshold.max(0.5),
        seed: options.seed,
        hidden_units: options.hidden_units,
        epochs: options.epochs,
        examples: data.labels.len(),
        cross_validation: cv.report,
    };
    tracing::info!(
        duration_ms = started.elapsed().as_millis() as u64,
        cv_accuracy = meta.cross_validation.accuracy,
        temperature = meta.temperature,
        abstain_threshold = meta.abstain_threshold,
        "router trained"
    );
    Ok(TrainedRouter { head, meta })
}

fn embed_examples(intents: &IntentSet, encoder: &Encoder) -> Result<Dataset, RoutingError> {
    let mut classes: Vec<String> = intents.departments.iter().map(|d| d.id.clone()).collect();
    let mut texts: Vec<&str> = Vec::new();
    let mut labels = Vec::new();
    for (class, department) in intents.departments.iter().enumerate() {
        texts.extend(department.examples.iter().map(String::as_str));
        labels.extend(std::iter::repeat_n(class, department.examples.len()));
    }
    if !intents.out_of_scope.is_empty() {
        classes.push(OUT_OF_SCOPE.to_owned());
        texts.extend(intents.out_of_scope.iter().map(String::as_str));
        labels.extend(std::iter::repeat_n(
            classes.len() - 1,
            intents.out_of_scope.len(),
        ));
    }

    let embeddings = encoder.embed(&texts)?;
    Ok(Dataset {
        embeddings,
        labels,
        classes,
    })
}

struct CvOutcome {
    temperature: f32,
    threshold: f32,
    report: CrossValidation,
}

fn cross_validate(data: &Dataset, options: &TrainingOptions) -> Result<CvOutcome, RoutingError> {
    let folds = stratified_folds(&data.labels, options.folds, options.seed);

    let mut oof_logits = vec![Vec::new(); data.labels.len()];
    for fold in 0..options.folds {
        let train: Vec<usize> = (0..data.labels.len())
            .filter(|&i| folds[i] != fold)
            .collect();
        let held: Vec<usize> = (0..data.labels.len())
            .filter(|&i| folds[i] == fold)
            .collect();

        let head = fit(data, &train, options)?;
        let rows: Vec<Embedding> = held.iter().map(|&i| data.embeddings[i].clone()).collect();
        for (&i, logits) in held.iter().zip(head.logits_rows(&rows)?) {
            oof_logits[i] = logits;
        }
    }

    let temperature = fit_temperature(&oof_logits, &data.labels);

    let raw_conf = |t: f32| -> (Vec<f32>, Vec<bool>) {
        oof_logits
            .iter()
            .zip(&data.labels)
            .map(|(row, &label)| {
                let probs = softmax(row, t);
                let (best, conf) = argmax(&probs);
                (conf, best == label)
            })
            .unzip()
    };
    let (conf_before, correct) = raw_conf(1.0);
    let (conf_after, _) = raw_conf(temperature);

    // The threshold is about departments; out-of-scope examples are handled
    // by their own class, not by the confidence cut.
    let oos = data.classes.iter().position(|c| c == OUT_OF_SCOPE);
    let in_scope: Vec<usize> = (0..data.labels.len())
        .filter(|&i| Some(data.labels[i]) != oos)
        .collect();
    let scoped_conf: Vec<f32> = in_scope.iter().map(|&i| conf_after[i]).collect();
    let scoped_correct: Vec<bool> = in_scope.iter().map(|&i| correct[i]).collect();
    let threshold = choose_threshold(
        &scoped_conf,
        &scoped_correct,
        options.abstain_cost,
        0.2,
        0.6,
    );

    let answered: Vec<bool> = scoped_conf.iter().map(|&c| c >= threshold).collect();
    let answered_count = answered.iter().filter(|a| **a).count();
    let answered_right = answered
        .iter()
        .zip(&scoped_correct)
        .filter(|(a, c)| **a && **c)
        .count();

    let report = CrossValidation {
        folds: options.folds,
        accuracy: share(correct.iter().filter(|c| **c).count(), correct.len()),
        ece_before: expected_calibration_error(&conf_before, &correct),
        ece_after: expected_calibration_error(&conf_after, &correct),
        abstention_rate: 1.0 - share(answered_count, in_scope.len()),
        accuracy_when_answered: share(answered_right, answered_count),
    };
    Ok(CvOutcome {
        temperature,
        threshold,
        report,
    })
}

/// Trains a head on the given rows: full-batch AdamW on a class-weighted
/// cross-entropy, so a department with fewer examples is not drowned out.
fn fit(data: &Dataset, rows: &[usize], options: &TrainingOptions) -> Result<Head, RoutingError> {
    let device = Device::Cpu;
    let classes = data.classes.len();

    let flat: Vec<f32> = rows
        .iter()
        .flat_map(|&i| data.embeddings[i].iter().copied())
        .collect();
    let x = Tensor::from_vec(flat, (rows.len(), EMBEDDING_DIM), &device)?;
    let labels: Vec<u32> = rows.iter().map(|&i| data.labels[i] as u32).collect();
    let y = Tensor::from_vec(labels.clone(), (rows.len(), 1), &device)?;

    let mut counts = vec![0usize; classes];
    for &label in &labels {
        counts[label as usize] += 1;
    }
    let weights: Vec<f32> = labels
        .iter()
        .map(|&l| rows.len() as f32 / (classes as f32 * counts[l as usize].max(1) as f32))
        .collect();
    let w = Tensor::from_vec(weights, rows.len(), &device)?;
    let w_sum = w.sum_all()?;

    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let vars = HeadVars::init(options.hidden_units, classes, &mut rng)?;
    let params = ParamsAdamW {
        lr: options.learning_rate,
        weight_decay: options.weight_decay,
        ..Default::default()
    };
    let mut optimizer = AdamW::new(vars.all(), params)?;

    for _ in 0..options.epochs {
        let log_probs = candle_nn::ops::log_softmax(&vars.logits(&x)?, D::Minus1)?;
        let picked = log_probs.gather(&y, 1)?.squeeze(1)?;
        let loss = (picked.mul(&w)?.sum_all()?.neg()? / &w_sum)?;
        optimizer.backward_step(&loss)?;
    }
    Ok(vars.head())
}

/// Fold number of each example; every class is spread evenly over folds.
fn stratified_folds(labels: &[usize], folds: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let classes = labels.iter().copied().max().map_or(0, |m| m + 1);
    let mut assignment = vec![0; labels.len()];
    for class in 0..classes {
        let mut members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        members.shuffle(&mut rng);
        for (k, i) in members.into_iter().enumerate() {
            assignment[i] = k % folds;
        }
    }
    assignment
}

fn all_indices(data: &Dataset) -> Vec<usize> {
    (0..data.labels.len()).collect()
}

pub(crate) fn argmax(values: &[f32]) -> (usize, f32) {
    values
        .iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((0, 0.0))
}

fn share(part: usize, whole: usize) -> f32 {
    if whole == 0 {
        0.0
    } else {
        part as f32 / whole as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_spread_each_class_evenly() {
        let labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];

        let folds = stratified_folds(&labels, 5, 7);

        for fold in 0..5 {
            let members: Vec<usize> = (0..10).filter(|&i| folds[i] == fold).collect();
            assert_eq!(members.len(), 2);
            assert_ne!(labels[members[0]], labels[members[1]]);
        }
    }

    #[test]
    fn folds_depend_only_on_the_seed() {
        let labels: Vec<usize> = (0..40).map(|i| i % 3).collect();

        assert_eq!(
            stratified_folds(&labels, 5, 1),
            stratified_folds(&labels, 5, 1)
        );
    }
}
