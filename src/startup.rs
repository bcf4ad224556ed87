//! Everything the service needs before it can answer, in order: the model
//! (fetched when missing), the router head (retrained when stale), the
//! database (migrated), and the knowledge index (re-embedded where the
//! files changed).

use std::sync::Arc;
use std::time::Instant;

use crate::auth::{PortalSetupError, PortalVerifier, SealingError, SealingKey, StaffAuth};
use crate::bootstrap::{AssetPaths, LoadError, load_triage};
use crate::chat::{ChatService, TriageBatcher};
use crate::config::Config;
use crate::http::Ready;
use crate::knowledge::{
    EdgeStore, IndexError, IndexReport, KnowledgeBase, KnowledgeError, Problem, Retriever,
    StoreError, VectorStore, render_placeholders, sync_index,
};
use crate::model::ModelFiles;
use crate::queue::QueueService;
use crate::store::Database;
use crate::triage::Triage;

/// The running parts, kept so shutdown can flush them.
pub struct Services {
    pub chat: Arc<ChatService>,
    pub staff: Arc<StaffAuth>,
    pub queues: Arc<QueueService>,
    pub portal: Arc<PortalVerifier>,
    pub database: Database,
    pub vectors: Arc<dyn VectorStore>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Database(#[from] crate::store::StoreError),
    #[error(transparent)]
    Knowledge(#[from] KnowledgeError),
    #[error(transparent)]
    Vectors(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("red-flag guidance for `{category}`: {problem}")]
    Guidance { category: String, problem: Problem },
    #[error(transparent)]
    Sealing(#[from] SealingError),
    #[error(transparent)]
    Portal(#[from] PortalSetupError),
    #[error("a start-up task stopped: {0}")]
    Task(String),
}

impl Services {
    pub async fn start(config: &Config) -> Result<Self, StartupError> {
        let started = Instant::now();
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;

        // 1. Model, router and safety layer: CPU work, off the runtime.
        let paths = AssetPaths::new(&config.models_dir, &config.intents_dir);
        let triage = {
            let paths = paths.clone();
            tokio::task::spawn_blocking(move || load_triage(&paths))
                .await
                .map_err(|e| StartupError::Task(e.to_string()))??
        };
        let triage = Arc::new(triage);

        // 2. Database, migrated; the key that seals secrets in it; the
        // portal's verifying key.
        let database = Database::connect(&config.database_url()).await?;
        let key = SealingKey::load_or_create(&config.secret_key_path())?;
        let portal = PortalVerifier::from_config(&config.portal)?;

        // 3. Knowledge: the files, then the index brought in line with them.
        let (retriever, vectors) = open_knowledge(config, &triage).await?;

        // 4. The chat service, with batched triage on one thread per core.
        // Emergency guidance names the hospital's numbers: a placeholder it
        // cannot fill stops start-up rather than reaching a patient.
        let hospital = config.hospital.placeholders();
        for category in triage.safety().categories() {
            render_placeholders(&category.guidance, &hospital).map_err(|problem| {
                StartupError::Guidance {
                    category: category.id.clone(),
                    problem,
                }
            })?;
        }
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let departments = triage.router().departments().to_vec();
        let department_ids = departments.iter().map(|d| d.id.clone()).collect();
        let staff = StaffAuth::new(
            database.clone(),
            key,
            config.auth.clone(),
            config.totp_issuer(),
            department_ids,
        );
        let queues = QueueService::new(database.clone(), departments.clone(), &config.queues);
        let chat = ChatService::new(
            TriageBatcher::start(Arc::clone(&triage), workers, config.triage_batch),
            departments,
            retriever,
            database.clone(),
            config.answer_threshold,
            hospital,
        );

        if config.hospital.is_example() {
            tracing::warn!(
                "hospital contact details are the built-in examples; set [hospital] in the configuration"
            );
        }
        tracing::info!(
            duration_ms = started.elapsed().as_millis() as u64,
            "careline ready"
        );
        Ok(Self {
            chat: Arc::new(chat),
            staff: Arc::new(staff),
            queues: Arc::new(queues),
            portal: Arc::new(portal),
            database,
            vectors,
        })
    }

    /// What the HTTP layer serves with.
    pub fn ready(&self) -> Ready {
        Ready {
            chat: Arc::clone(&self.chat),
            staff: Arc::clone(&self.staff),
            queues: Arc::clone(&self.queues),
            portal: Arc::clone(&self.portal),
        }
    }

    /// Makes every write durable; call after the server has stopped.
    pub async fn shut_down(&self) {
        if let Err(error) = self.vectors.flush().await {
            tracing::error!(error = %error, "flushing the vector index failed");
        }
        self.database.close().await;
        tracing::info!("careline stopped");
    }
}

async fn open_knowledge(
    config: &Config,
    triage: &Arc<Triage>,
) -> Result<(Arc<Retriever>, Arc<dyn VectorStore>), StartupError> {
    let indexed = index_knowledge(config, triage).await?;
    let retriever = Retriever::new(Arc::clone(&indexed.store), indexed.knowledge);
    Ok((Arc::new(retriever), indexed.store))
}

/// The knowledge files, loaded, and the index brought in line with them.
pub struct IndexedKnowledge {
    pub knowledge: Arc<KnowledgeBase>,
    pub store: Arc<dyn VectorStore>,
    pub report: IndexReport,
}

/// Loads the knowledge files and syncs the embedded index with them; used
/// at start-up and by `careline index`.
pub async fn index_knowledge(
    config: &Config,
    triage: &Arc<Triage>,
) -> Result<IndexedKnowledge, StartupError> {
    let departments: Vec<&str> = triage
        .router()
        .departments()
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    let knowledge = KnowledgeBase::load(
        &config.knowledge_dir,
        &config.hospital.placeholders(),
        &departments,
    )?;

    // The encoder's identity is part of every stored hash, so a new model
    // re-embeds everything.
    let store: Arc<dyn VectorStore> = Arc::new(open_vector_store(&config.vector_dir())?);
    let encoder_owner = Arc::clone(triage);
    let report = sync_index(
        &knowledge,
        store.as_ref(),
        &ModelFiles::fingerprint(),
        move |texts| async move {
            tokio::task::spawn_blocking(move || encoder_owner.encoder().embed(&texts))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())
        },
    )
    .await?;

    Ok(IndexedKnowledge {
        knowledge: Arc::new(knowledge),
        store,
        report,
    })
}

/// The embedded index holds nothing but vectors derived from the knowledge
/// files, so one that cannot be opened (an older format, a torn write) is
/// rebuilt rather than left to stop the service.
fn open_vector_store(dir: &std::path::Path) -> Result<EdgeStore, StoreError> {
    match EdgeStore::open(dir) {
        Ok(store) => Ok(store),
        Err(error) => {
            tracing::warn!(error = %error, "knowledge index unreadable; rebuilding it from the files");
            std::fs::remove_dir_all(dir)?;
            EdgeStore::open(dir)
        }
    }
}
