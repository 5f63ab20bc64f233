//! The GSD file-layer writer: appends frames of named chunks to a new file, laid out as gsd's
//! own writer lays it out (header, an index block of 128 entries, a 1 KiB name list, then data;
//! the index and the name list move to the end of the file, doubled, when they fill up). After
//! every [`GsdFileWriter::end_frame`] the bytes written so far form a complete, valid file, and
//! the same chunks always give the same bytes.

use std::io::{Seek, SeekFrom, Write};

use super::chunk::Chunk;
use super::error::GsdError;
use super::layout::{
    GsdHeader, IndexEntry, HEADER_SIZE, INDEX_ENTRY_SIZE, INITIAL_INDEX_ENTRIES,
    INITIAL_NAMELIST_BYTES, NAME_BLOCK, WRITE_VERSION,
};

/// A GSD file being written, frame by frame.
#[derive(Debug)]
pub struct GsdFileWriter<W> {
    dst: W,
    header: GsdHeader,
    /// Bytes written so far (the writer owns the stream from offset 0).
    size: u64,
    /// Names committed to the file's name list, and their packed bytes.
    names: Vec<String>,
    names_bytes: Vec<u8>,
    /// Names first used in the current frame (ids follow `names`).
    pending_names: Vec<String>,
    /// Index entries committed to the file (kept to copy the index when it moves).
    committed: Vec<IndexEntry>,
    /// Entries of the current frame.
    pending: Vec<IndexEntry>,
    frame: u64,
}

fn write_at<W: Write + Seek>(dst: &mut W, at: u64, bytes: &[u8]) -> Result<(), GsdError> {
    dst.seek(SeekFrom::Start(at))?;
    dst.write_all(bytes)?;
    Ok(())
}

impl<W: Write + Seek> GsdFileWriter<W> {
    /// Starts a new file at offset 0 of `dst` (which should be empty), with the given
    /// application name and schema.
    ///
    /// # Errors
    /// [`GsdError::Io`] when writing fails.
    pub fn create(
        mut dst: W,
        application: &str,
        schema: &str,
        schema_version: (u32, u32),
    ) -> Result<Self, GsdError> {
        let header = GsdHeader {
            index_location: HEADER_SIZE,
            index_allocated_entries: INITIAL_INDEX_ENTRIES,
            namelist_location: HEADER_SIZE + INITIAL_INDEX_ENTRIES * INDEX_ENTRY_SIZE,
            namelist_allocated_entries: INITIAL_NAMELIST_BYTES / NAME_BLOCK,
            schema_version,
            gsd_version: WRITE_VERSION,
            application: application.to_string(),
            schema: schema.to_string(),
        };
        write_at(&mut dst, 0, &header.encode())?;
        let blank =
            vec![0u8; (INITIAL_INDEX_ENTRIES * INDEX_ENTRY_SIZE + INITIAL_NAMELIST_BYTES) as usize];
        dst.write_all(&blank)?;
        let size = header.namelist_location + INITIAL_NAMELIST_BYTES;
        Ok(Self {
            dst,
            header,
            size,
            names: Vec::new(),
            names_bytes: Vec::new(),
            pending_names: Vec::new(),
            committed: Vec::new(),
            pending: Vec::new(),
            frame: 0,
        })
    }

    /// Number of frames completed so far.
    #[must_use]
    pub fn frame_count(&self) -> u64 {
        self.frame
    }

    fn id_of(&mut self, name: &str) -> Result<u16, GsdError> {
        let pos = self
            .names
            .iter()
            .chain(self.pending_names.iter())
            .position(|n| n == name);
        let id = match pos {
            Some(p) => p,
            None => {
                self.pending_names.push(name.to_string());
                self.names.len() + self.pending_names.len() - 1
            }
        };
        u16::try_from(id)
            .ok()
            .filter(|&id| id < u16::MAX)
            .ok_or_else(|| GsdError::InvalidChunk {
                name: name.to_string(),
                reason: "the name list is full (65535 names)".into(),
            })
    }

    /// Writes chunk `name` into the current frame; its data goes to the end of the file at
    /// once, its index entry when the frame ends.
    ///
    /// # Errors
    /// [`GsdError::InvalidChunk`] for an empty name, a name with a NUL byte, a chunk with zero
    /// columns or a name already written in this frame; [`GsdError::Io`] when writing fails.
    pub fn write_chunk(&mut self, name: &str, chunk: &Chunk) -> Result<(), GsdError> {
        let invalid = |reason: &str| GsdError::InvalidChunk {
            name: name.to_string(),
            reason: reason.to_string(),
        };
        if name.is_empty() || name.contains('\0') {
            return Err(invalid("names must be non-empty and contain no NUL byte"));
        }
        if chunk.m == 0 {
            return Err(invalid("a chunk needs at least one column"));
        }
        if Some(chunk.values.len() as u64) != chunk.n.checked_mul(u64::from(chunk.m)) {
            return Err(invalid("the number of values is not rows × columns"));
        }
        let id = self.id_of(name)?;
        if self.pending.iter().any(|e| e.id == id) {
            return Err(invalid("already written in this frame"));
        }
        let bytes = chunk.values.encode();
        let location = self.size;
        write_at(&mut self.dst, location, &bytes)?;
        self.size += bytes.len() as u64;
        self.pending.push(IndexEntry {
            frame: self.frame,
            n: chunk.n,
            location,
            m: chunk.m,
            id,
            element_type: chunk.values.element_type(),
        });
        Ok(())
    }

    /// Ends the current frame: commits new names and the frame's index entries, growing the
    /// name list and the index (moved to the end of the file, doubled) when they are full.
    ///
    /// # Errors
    /// [`GsdError::Io`] when writing fails.
    pub fn end_frame(&mut self) -> Result<(), GsdError> {
        self.flush_names()?;
        self.flush_index()?;
        self.frame += 1;
        Ok(())
    }

    fn flush_names(&mut self) -> Result<(), GsdError> {
        if self.pending_names.is_empty() {
            return Ok(());
        }
        let old_len = self.names_bytes.len();
        for n in self.pending_names.drain(..) {
            self.names_bytes.extend_from_slice(n.as_bytes());
            self.names_bytes.push(0);
            self.names.push(n);
        }
        let reserved = self.header.namelist_allocated_entries * NAME_BLOCK;
        let used = self.names_bytes.len() as u64;
        if used > reserved {
            let mut new_reserved = reserved.max(NAME_BLOCK) * 2;
            while used >= new_reserved {
                new_reserved *= 2;
            }
            let mut block = self.names_bytes.clone();
            block.resize(new_reserved as usize, 0);
            let at = self.size;
            write_at(&mut self.dst, at, &block)?;
            self.size += new_reserved;
            self.header.namelist_location = at;
            self.header.namelist_allocated_entries = new_reserved / NAME_BLOCK;
            write_at(&mut self.dst, 0, &self.header.encode())?;
        } else {
            let at = self.header.namelist_location + old_len as u64;
            write_at(&mut self.dst, at, &self.names_bytes[old_len..])?;
        }
        Ok(())
    }

    fn flush_index(&mut self) -> Result<(), GsdError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.pending.sort_by_key(|e| e.id);
        let needed = (self.committed.len() + self.pending.len()) as u64;
        if needed > self.header.index_allocated_entries {
            let mut new_size = self.header.index_allocated_entries.max(1) * 2;
            while new_size <= needed {
                new_size *= 2;
            }
            let mut block: Vec<u8> = self.committed.iter().flat_map(IndexEntry::encode).collect();
            block.resize((new_size * INDEX_ENTRY_SIZE) as usize, 0);
            let at = self.size;
            write_at(&mut self.dst, at, &block)?;
            self.size += new_size * INDEX_ENTRY_SIZE;
            self.header.index_location = at;
            self.header.index_allocated_entries = new_size;
            write_at(&mut self.dst, 0, &self.header.encode())?;
        }
        let bytes: Vec<u8> = self.pending.iter().flat_map(IndexEntry::encode).collect();
        let at = self.header.index_location + self.committed.len() as u64 * INDEX_ENTRY_SIZE;
        write_at(&mut self.dst, at, &bytes)?;
        self.committed.append(&mut self.pending);
        Ok(())
    }

    /// Finishes the file (ending a frame that has chunks but was not ended) and gives the
    /// destination back, positioned at the end of the file.
    ///
    /// # Errors
    /// [`GsdError::Io`] when writing fails.
    pub fn finish(mut self) -> Result<W, GsdError> {
        if !self.pending.is_empty() {
            self.end_frame()?;
        }
        self.dst.seek(SeekFrom::Start(self.size))?;
        self.dst.flush()?;
        Ok(self.dst)
    }
}
