//! The worker's self-test job: a fixed amount of deterministic arithmetic per chunk, so the
//! page's tests can prove that a job starts, reports progress, pauses, resumes, stops and fails
//! cleanly without depending on any physics.

use super::{Emit, Job, JobError, JobFuture, JobOutput, Step};
use serde::{Deserialize, Serialize};

/// Largest number of chunks a probe may ask for.
pub const MAX_CHUNKS: u32 = 1_000_000;

/// What the probe does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeSpec {
    /// Number of chunks.
    pub chunks: u32,
    /// Loop iterations per chunk (≈ 1 ns each).
    pub work_per_chunk: u64,
    /// Fail with an error at this chunk (tests the error path).
    pub fail_at: Option<u32>,
    /// Panic at this chunk (tests that the page hears a crashed worker in words).
    #[serde(default)]
    pub panic_at: Option<u32>,
}

/// The probe's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeOutput {
    /// Chunks done.
    pub chunks: u32,
    /// A checksum of the work, the same on every platform (32 bits: exact in JavaScript).
    pub checksum: u32,
}

/// Why the probe stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// The number of chunks is outside 1..=[`MAX_CHUNKS`].
    #[error("chunks = {0} is outside 1..={MAX_CHUNKS}")]
    Chunks(u32),
    /// The spec asked for a failure at this chunk.
    #[error("asked to fail at chunk {0}")]
    AskedToFail(u32),
}

/// The probe job.
#[derive(Debug)]
pub struct Probe {
    spec: ProbeSpec,
    done: u32,
    state: u64,
}

impl Probe {
    /// A probe for `spec`; refuses absurd sizes.
    pub fn new(spec: ProbeSpec) -> Result<Self, JobError> {
        if spec.chunks == 0 || spec.chunks > MAX_CHUNKS {
            return Err(ProbeError::Chunks(spec.chunks).into());
        }
        Ok(Probe {
            spec,
            done: 0,
            state: 0x9e37_79b9_7f4a_7c15,
        })
    }

    fn chunk(&mut self) -> Result<Step, JobError> {
        assert!(
            self.spec.panic_at != Some(self.done),
            "probe: asked to panic at chunk {}",
            self.done
        );
        if self.spec.fail_at == Some(self.done) {
            return Err(ProbeError::AskedToFail(self.done).into());
        }
        for _ in 0..self.spec.work_per_chunk {
            // xorshift64*: cheap, deterministic work.
            self.state ^= self.state >> 12;
            self.state ^= self.state << 25;
            self.state ^= self.state >> 27;
        }
        self.done += 1;
        let progress = Emit::progress(
            u64::from(self.done),
            u64::from(self.spec.chunks),
            format!("chunk {} of {}", self.done, self.spec.chunks),
        );
        if self.done < self.spec.chunks {
            return Ok(Step::Continue(vec![progress]));
        }
        let output = Emit::output(JobOutput::Probe(ProbeOutput {
            chunks: self.done,
            checksum: (self.state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) as u32,
        }));
        Ok(Step::Done(vec![progress, output]))
    }
}

impl Job for Probe {
    fn advance(&mut self) -> JobFuture<'_> {
        let step = self.chunk();
        Box::pin(async move { step })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::jobs::{build, drive, JobEvent, JobSpec};

    #[test]
    fn runs_to_the_end_with_progress_then_output() {
        let spec = ProbeSpec {
            chunks: 4,
            work_per_chunk: 100,
            fail_at: None,
            panic_at: None,
        };
        let mut job = build(JobSpec::Probe(spec), Vec::new()).unwrap();
        let emits = drive(job.as_mut()).unwrap();
        assert_eq!(emits.len(), 5);
        assert!(matches!(&emits[3].event, JobEvent::Progress(p) if p.done == 4 && p.total == 4));
        assert!(matches!(&emits[4].event, JobEvent::Output(JobOutput::Probe(o)) if o.chunks == 4));
    }

    #[test]
    fn fails_where_asked_and_refuses_bad_sizes() {
        let spec = ProbeSpec {
            chunks: 4,
            work_per_chunk: 1,
            fail_at: Some(2),
            panic_at: None,
        };
        let mut job = Probe::new(spec).unwrap();
        let err = drive(&mut job).unwrap_err();
        assert!(err.to_string().contains("chunk 2"));
        let zero = ProbeSpec {
            chunks: 0,
            work_per_chunk: 1,
            fail_at: None,
            panic_at: None,
        };
        assert!(Probe::new(zero).is_err());
    }

    #[test]
    #[should_panic(expected = "asked to panic at chunk 1")]
    fn asked_to_panic_it_panics() {
        let spec = ProbeSpec {
            chunks: 3,
            work_per_chunk: 1,
            fail_at: None,
            panic_at: Some(1),
        };
        let mut job = Probe::new(spec).expect("valid");
        let _ = crate::jobs::drive(&mut job);
    }
}
