//! Training the router head from `intents/`: class-balanced, seeded, and
//! calibrated on out-of-fold predictions from k-fold cross-validation.

use std::collections::HashMap;

use candle_core::{Device, Tensor, Var};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::RoutingError;
use super::artifact::{CrossValidation, RouterMeta, TRAINER_VERSION};
use super::calibration::{choose_threshold, expected_calibration_error, fit_temperature, softmax};
use super::head::{Features, Featurizer, Head, HeadVars};
use super::intents::{IntentSet, OUT_OF_SCOPE};
use super::lexical::{fit_idf, term_counts};
use crate::model::{Embedding, Encoder, ModelFiles};

#[derive(Debug, Clone)]
pub struct TrainingOptions {
    /// Seed for the cross-validation folds (training itself starts from zero
    /// weights and is deterministic).
    pub seed: u64,
    pub epochs: usize,
    pub learning_rate: f64,
    /// L2 penalty on the weights.
    pub l2: f64,
    pub folds: usize,
    /// Cost of a clarifying question relative to a misrouted inquiry (1.0).
    /// A question is a round trip for the patient before anyone reads the
    /// message; a misrouted inquiry still reaches a person who can transfer
    /// it. So asking is only somewhat cheaper than guessing.
    pub abstain_cost: f32,
}

impl Default for TrainingOptions {
    fn default() -> Self {
        Self {
            seed: 20_261_203,
            epochs: 200,
            learning_rate: 0.05,
            l2: 1e-4,
            folds: 5,
            abstain_cost: 0.7,
        }
    }
}

pub struct TrainedRouter {
    pub head: Head,
    pub meta: RouterMeta,
}

/// Examples as embeddings and n-gram counts, with class indices.
struct Dataset {
    embeddings: Vec<Embedding>,
    counts: Vec<HashMap<u32, f32>>,
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
    let (vars, featurizer) = fit(&data, &all_indices(&data), options)?;
    let head = vars.into_head(featurizer);

    let meta = RouterMeta {
        trainer_version: TRAINER_VERSION,
        intents_hash: intents.hash.clone(),
        encoder_fingerprint: ModelFiles::fingerprint(),
        classes: data.classes.clone(),
        temperature: cv.temperature,
        abstain_threshold: cv.threshold,
        secondary_threshold: cv.threshold.max(0.5),
        seed: options.seed,
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

/// Trains a head on already-embedded examples, without cross-validation:
/// the same linear model and optimiser as the router, for other
/// classifiers over messages (the safety layer's urgency head).
pub fn fit_head(
    texts: &[&str],
    embeddings: Vec<Embedding>,
    labels: Vec<usize>,
    classes: Vec<String>,
    options: &TrainingOptions,
) -> Result<Head, RoutingError> {
    let data = Dataset {
        embeddings,
        counts: texts.iter().map(|t| term_counts(t)).collect(),
        labels,
        classes,
    };
    let (vars, featurizer) = fit(&data, &all_indices(&data), options)?;
    Ok(vars.into_head(featurizer))
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
    let counts = texts.iter().map(|t| term_counts(t)).collect();
    Ok(Dataset {
        embeddings,
        counts,
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

        let (head, featurizer) = fit(data, &train, options)?;
        let x = features(data, &held, &featurizer)?;
        let logits: Vec<Vec<f32>> = head.logits(&x)?.to_vec2()?;
        for (&i, row) in held.iter().zip(logits) {
            oof_logits[i] = row;
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

/// Trains a head on the given rows: full-batch Adam on a class-weighted
/// cross-entropy with an L2 penalty, so a department with fewer examples is
/// not drowned out. Starts from zero weights: the same data gives the same
/// head.
///
/// The gradient of softmax regression has a closed form, so it is written
/// out instead of taped: autograd would copy the wide feature matrix every
/// step, which made training minutes instead of seconds.
fn fit(
    data: &Dataset,
    rows: &[usize],
    options: &TrainingOptions,
) -> Result<(HeadVars, Featurizer), RoutingError> {
    let device = Device::Cpu;
    let classes = data.classes.len();

    let row_counts: Vec<HashMap<u32, f32>> = rows.iter().map(|&i| data.counts[i].clone()).collect();
    let featurizer = Featurizer::new(fit_idf(&row_counts));
    let x = features(data, rows, &featurizer)?;

    let labels: Vec<u32> = rows.iter().map(|&i| data.labels[i] as u32).collect();
    let mut per_class = vec![0usize; classes];
    for &label in &labels {
        per_class[label as usize] += 1;
    }
    let weights: Vec<f32> = labels
        .iter()
        .map(|&l| rows.len() as f32 / (classes as f32 * per_class[l as usize].max(1) as f32))
        .collect();
    let total: f32 = weights.iter().sum();
    let w = (Tensor::from_vec(weights, (rows.len(), 1), &device)? / f64::from(total))?;
    let targets = one_hot(&labels, classes)?;

    let vars = HeadVars::zeros(classes)?;
    let mut dense_step = Adam::new(vars.dense.as_tensor(), options.learning_rate)?;
    let mut lexical_step = Adam::new(vars.lexical.as_tensor(), options.learning_rate)?;
    let mut bias_step = Adam::new(vars.bias.as_tensor(), options.learning_rate)?;
    for _ in 0..options.epochs {
        let probs = candle_nn::ops::softmax_last_dim(&vars.logits(&x)?)?;
        let residual = (probs - &targets)?.broadcast_mul(&w)?;

        let (dense_grad, lexical_grad, bias_grad) = vars.gradients(&x, &residual)?;
        let dense_grad = (dense_grad + (vars.dense.as_tensor() * (2.0 * options.l2))?)?;
        let lexical_grad = (lexical_grad + (vars.lexical.as_tensor() * (2.0 * options.l2))?)?;

        dense_step.apply(&vars.dense, &dense_grad)?;
        lexical_step.apply(&vars.lexical, &lexical_grad)?;
        bias_step.apply(&vars.bias, &bias_grad)?;
    }
    Ok((vars, featurizer))
}

fn one_hot(labels: &[u32], classes: usize) -> candle_core::Result<Tensor> {
    let mut data = vec![0f32; labels.len() * classes];
    for (row, &label) in labels.iter().enumerate() {
        data[row * classes + label as usize] = 1.0;
    }
    Tensor::from_vec(data, (labels.len(), classes), &Device::Cpu)
}

/// Adam (Kingma and Ba) for one parameter tensor.
struct Adam {
    m: Tensor,
    v: Tensor,
    step: i32,
    learning_rate: f64,
}

impl Adam {
    const BETA1: f64 = 0.9;
    const BETA2: f64 = 0.999;
    const EPS: f64 = 1e-8;

    fn new(param: &Tensor, learning_rate: f64) -> candle_core::Result<Self> {
        Ok(Self {
            m: param.zeros_like()?,
            v: param.zeros_like()?,
            step: 0,
            learning_rate,
        })
    }

    fn apply(&mut self, var: &Var, grad: &Tensor) -> candle_core::Result<()> {
        self.step += 1;
        self.m = ((&self.m * Self::BETA1)? + (grad * (1.0 - Self::BETA1))?)?;
        self.v = ((&self.v * Self::BETA2)? + (grad.sqr()? * (1.0 - Self::BETA2))?)?;

        let m_hat = (&self.m / (1.0 - Self::BETA1.powi(self.step)))?;
        let v_hat = (&self.v / (1.0 - Self::BETA2.powi(self.step)))?;
        let update = (m_hat / (v_hat.sqrt()? + Self::EPS)?)?;
        var.set(&(var.as_tensor() - (update * self.learning_rate)?)?)
    }
}

fn features(
    data: &Dataset,
    rows: &[usize],
    featurizer: &Featurizer,
) -> Result<Features, RoutingError> {
    let counts: Vec<&HashMap<u32, f32>> = rows.iter().map(|&i| &data.counts[i]).collect();
    let embeddings: Vec<&Embedding> = rows.iter().map(|&i| &data.embeddings[i]).collect();
    Ok(featurizer.features(&counts, &embeddings)?)
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
