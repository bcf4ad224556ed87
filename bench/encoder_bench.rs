//! Careline side of the encoder benchmark (run by `bench/encoder.sh`):
//! batch-1 latency and batch-32 throughput on the same sentences as the
//! sentence-transformers side, printed as one JSON object.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use careline::model::{Encoder, ModelFiles};

struct Args {
    sentences: PathBuf,
    embeddings: Option<PathBuf>,
    models: PathBuf,
    limit: usize,
    warmup: usize,
    runs: usize,
    batch: usize,
}

fn parse_args() -> Args {
    let mut args = Args {
        sentences: PathBuf::from("bench/data/sentences.txt"),
        embeddings: None,
        models: PathBuf::from("models/all-MiniLM-L6-v2"),
        limit: 128,
        warmup: 16,
        runs: 3,
        batch: 32,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--sentences" => args.sentences = value.into(),
            "--embeddings" => args.embeddings = Some(value.into()),
            "--models" => args.models = value.into(),
            "--limit" => args.limit = value.parse().expect("--limit is a number"),
            "--warmup" => args.warmup = value.parse().expect("--warmup is a number"),
            "--runs" => args.runs = value.parse().expect("--runs is a number"),
            "--batch-size" => args.batch = value.parse().expect("--batch-size is a number"),
            other => panic!("unknown flag {other}"),
        }
    }
    args
}

fn main() -> anyhow::Result<()> {
    // The same threading as the `careline` binary.
    #[expect(unsafe_code, reason = "sets the environment before any thread exists")]
    // SAFETY: nothing has spawned a thread yet.
    unsafe {
        careline::model::configure_threads()
    };
    let args = parse_args();
    let encoder = Encoder::load(&ModelFiles::verify(&args.models)?)?;
    let text = std::fs::read_to_string(&args.sentences)?;
    let sentences: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();

    // Batch 1: each sentence alone, as a chat request would be.
    for sentence in sentences.iter().take(args.warmup) {
        encoder.embed_one(sentence)?;
    }
    let limit = args.limit.min(sentences.len());
    let mut latencies: Vec<f64> = Vec::with_capacity(limit);
    for sentence in &sentences[..limit] {
        let started = Instant::now();
        encoder.embed_one(sentence)?;
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let mean = latencies.iter().sum::<f64>() / latencies.len() as f64;
    latencies.sort_by(f64::total_cmp);
    let p50 = latencies[latencies.len() / 2];

    // Batch 32: every sentence in chunks of 32, as a bulk job would; median
    // of runs. Like sentence-transformers' `encode`, sentences are ordered
    // by length before chunking and the vectors put back in input order.
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sentences[i].len()));
    let encode_all = || -> anyhow::Result<Vec<Vec<f32>>> {
        let mut out = vec![Vec::new(); sentences.len()];
        for chunk in order.chunks(args.batch) {
            let texts: Vec<&str> = chunk.iter().map(|&i| sentences[i]).collect();
            for (&i, vector) in chunk.iter().zip(encoder.embed(&texts)?) {
                out[i] = vector;
            }
        }
        Ok(out)
    };
    let vectors = encode_all()?;
    let mut runs = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        let started = Instant::now();
        encode_all()?;
        runs.push(started.elapsed().as_secs_f64());
    }
    let mut sorted = runs.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];

    if let Some(path) = &args.embeddings {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        for vector in &vectors {
            serde_json::to_writer(&mut file, vector)?;
            file.write_all(b"\n")?;
        }
    }

    let report = serde_json::json!({
        "impl": "careline",
        "version": env!("CARGO_PKG_VERSION"),
        "batch1_ms_mean": (mean * 1000.0).round() / 1000.0,
        "batch1_ms_p50": (p50 * 1000.0).round() / 1000.0,
        "batch32_sentences_per_s": ((sentences.len() as f64 / median) * 10.0).round() / 10.0,
        "threads": std::thread::available_parallelism().map_or(1, |n| n.get()),
        "batch1_sentences": limit,
        "batch32_stat": format!("median of {}", args.runs),
        "batch32_runs_s": runs,
        "batch32_batch_size": args.batch,
        "sentences": sentences.len(),
    });
    println!("{report}");
    Ok(())
}
