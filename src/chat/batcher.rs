//! Concurrent chat requests share encoder passes: requests that arrive
//! while a pass is running are assessed together in the next one. Nothing
//! waits for a batch to fill, so a lone request is not delayed.

use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::routing::RoutingError;
use crate::triage::{Assessment, Triage};

struct Job {
    text: String,
    reply: oneshot::Sender<Result<Assessment, String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("triage failed: {0}")]
    Triage(String),
    #[error("the triage workers have stopped")]
    Stopped,
}

#[derive(Clone)]
pub struct TriageBatcher {
    jobs: Sender<Job>,
}

impl TriageBatcher {
    /// Starts `workers` threads; each takes whatever is queued (up to
    /// `max_batch` messages) and assesses it in one call.
    pub fn start(triage: Arc<Triage>, workers: usize, max_batch: usize) -> Self {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..workers.max(1) {
            let triage = Arc::clone(&triage);
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("triage-{index}"))
                .spawn(move || work(&triage, &queue, max_batch.max(1)))
                .expect("the OS can start a thread");
        }
        Self { jobs }
    }

    pub async fn assess(&self, text: String) -> Result<Assessment, BatchError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { text, reply })
            .map_err(|_| BatchError::Stopped)?;

        match answer.await {
            Ok(result) => result.map_err(BatchError::Triage),
            Err(_) => Err(BatchError::Stopped),
        }
    }
}

fn work(triage: &Triage, queue: &Mutex<Receiver<Job>>, max_batch: usize) {
    loop {
        let Some(batch) = next_batch(queue, max_batch) else {
            return;
        };

        let texts: Vec<&str> = batch.iter().map(|job| job.text.as_str()).collect();
        let _span = tracing::debug_span!("triage.batch", messages = texts.len()).entered();
        match triage.assess_batch(&texts) {
            Ok(assessments) => {
                for (job, assessment) in batch.into_iter().zip(assessments) {
                    let _ = job.reply.send(Ok(assessment));
                }
            }
            Err(error) => {
                let message = describe(&error);
                for job in batch {
                    let _ = job.reply.send(Err(message.clone()));
                }
            }
        }
    }
}

/// Blocks for one job, then takes whatever else is already waiting.
fn next_batch(queue: &Mutex<Receiver<Job>>, max_batch: usize) -> Option<Vec<Job>> {
    let queue = queue.lock().ok()?;
    let first = queue.recv().ok()?;

    let mut batch = vec![first];
    while batch.len() < max_batch {
        match queue.try_recv() {
            Ok(job) => batch.push(job),
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
        }
    }
    Some(batch)
}

/// Error text without the message: model and artifact errors never hold it.
fn describe(error: &RoutingError) -> String {
    error.to_string()
}
