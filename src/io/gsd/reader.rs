//! The GSD file-layer reader: header, name list and index are read and validated once, chunks
//! on demand. Works on any `Read + Seek` source (a `std::fs::File`, or `Cursor<&[u8]>` for bytes
//! handed over by the browser). Every size and offset from the file is checked against the
//! file's length before anything is allocated, so hostile bytes give an error, never a panic or
//! a huge allocation.

use std::io::{Read, Seek, SeekFrom};

use super::chunk::{Chunk, ChunkValues, ElementType};
use super::error::GsdError;
use super::layout::{
    GsdHeader, IndexEntry, RawIndexEntry, HEADER_SIZE, INDEX_ENTRY_SIZE, NAME_BLOCK,
};

/// An open GSD file, for reading.
#[derive(Debug)]
pub struct GsdFile<R> {
    src: R,
    size: u64,
    header: GsdHeader,
    names: Vec<String>,
    /// Used index entries, sorted by (frame, id).
    index: Vec<IndexEntry>,
    frame_count: u64,
}

fn read_at<R: Read + Seek>(
    src: &mut R,
    size: u64,
    what: &str,
    start: u64,
    len: u64,
) -> Result<Vec<u8>, GsdError> {
    let end = start.checked_add(len).filter(|&e| e <= size);
    let Some(end) = end else {
        return Err(GsdError::Truncated {
            what: what.to_string(),
            start,
            end: start.saturating_add(len),
            size,
        });
    };
    let n = usize::try_from(end - start).map_err(|_| GsdError::Truncated {
        what: what.to_string(),
        start,
        end,
        size,
    })?;
    let mut buf = vec![0u8; n];
    src.seek(SeekFrom::Start(start))?;
    src.read_exact(&mut buf)?;
    Ok(buf)
}

fn parse_names(block: &[u8]) -> Result<Vec<String>, GsdError> {
    if block.last().is_some_and(|&b| b != 0) {
        return Err(GsdError::CorruptNamelist(
            "the name list block does not end in a NUL byte".into(),
        ));
    }
    let mut names = Vec::new();
    let mut rest = block;
    while let Some(&first) = rest.first() {
        if first == 0 {
            break;
        }
        let len = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        let name = std::str::from_utf8(&rest[..len]).map_err(|_| {
            GsdError::CorruptNamelist(format!("name {} is not valid UTF-8", names.len()))
        })?;
        names.push(name.to_string());
        rest = rest.get(len + 1..).unwrap_or(&[]);
    }
    if names.len() > usize::from(u16::MAX) {
        return Err(GsdError::CorruptNamelist(format!(
            "{} names, more than the 65535 gsd allows",
            names.len()
        )));
    }
    Ok(names)
}

impl<R: Read + Seek> GsdFile<R> {
    /// Opens a GSD file: reads and validates the header (magic, file layer version 2.x), the
    /// name list and the index.
    ///
    /// # Errors
    /// [`GsdError::Truncated`], [`GsdError::BadMagic`], [`GsdError::UnsupportedVersion`],
    /// [`GsdError::CorruptNamelist`], [`GsdError::CorruptIndex`] or [`GsdError::Io`].
    pub fn open(mut src: R) -> Result<Self, GsdError> {
        let size = src.seek(SeekFrom::End(0))?;
        let raw = read_at(&mut src, size, "header", 0, HEADER_SIZE)?;
        let mut hb = [0u8; HEADER_SIZE as usize];
        hb.copy_from_slice(&raw);
        let header = GsdHeader::decode(&hb)?;

        let names_len = header.namelist_allocated_entries.saturating_mul(NAME_BLOCK);
        let block = read_at(
            &mut src,
            size,
            "name list",
            header.namelist_location,
            names_len,
        )?;
        let names = parse_names(&block)?;

        let index_len = header
            .index_allocated_entries
            .saturating_mul(INDEX_ENTRY_SIZE);
        let raw_index = read_at(&mut src, size, "index", header.index_location, index_len)?;
        let index = Self::validate_index(&raw_index, size, names.len())?;
        // Frames without any chunk are legal but rare; a frame count far beyond the number of
        // chunks is a corrupt (or hostile) index that would make callers loop for ages.
        if let Some(last) = index.last() {
            if last.frame >= index.len() as u64 {
                return Err(GsdError::CorruptIndex {
                    entry: index.len() as u64 - 1,
                    reason: format!(
                        "frame number {} but the whole file holds only {} chunks",
                        last.frame,
                        index.len()
                    ),
                });
            }
        }
        let frame_count = index.last().map_or(0, |e| e.frame + 1);
        let mut index = index;
        index.sort_by_key(|e| (e.frame, e.id));
        Ok(Self {
            src,
            size,
            header,
            names,
            index,
            frame_count,
        })
    }

    fn validate_index(
        raw: &[u8],
        size: u64,
        name_count: usize,
    ) -> Result<Vec<IndexEntry>, GsdError> {
        let mut index = Vec::new();
        let mut last_frame = 0u64;
        for (i, bytes) in raw.chunks_exact(INDEX_ENTRY_SIZE as usize).enumerate() {
            let r = RawIndexEntry::decode(bytes);
            if r.location == 0 {
                break;
            }
            let entry = i as u64;
            let corrupt = |reason: String| GsdError::CorruptIndex { entry, reason };
            let location = u64::try_from(r.location)
                .map_err(|_| corrupt(format!("negative location {}", r.location)))?;
            let element_type = ElementType::from_code(r.type_code)
                .ok_or_else(|| corrupt(format!("unknown element type code {}", r.type_code)))?;
            if r.flags != 0 {
                return Err(corrupt(format!("flags {} (must be 0)", r.flags)));
            }
            if usize::from(r.id) >= name_count {
                return Err(corrupt(format!(
                    "name id {} but the name list has {name_count} names",
                    r.id
                )));
            }
            if r.frame < last_frame {
                return Err(corrupt(format!(
                    "frame {} after frame {last_frame} (frames must not decrease)",
                    r.frame
                )));
            }
            last_frame = r.frame;
            let e = IndexEntry {
                frame: r.frame,
                n: r.n,
                location,
                m: r.m,
                id: r.id,
                element_type,
            };
            let end = e.byte_len().and_then(|len| location.checked_add(len));
            if end.is_none_or(|end| end > size) {
                return Err(corrupt(format!(
                    "chunk of {}x{} {:?} at byte {location} runs past the end of the file ({size} bytes)",
                    r.n, r.m, element_type
                )));
            }
            index.push(e);
        }
        Ok(index)
    }

    /// The file header.
    #[must_use]
    pub fn header(&self) -> &GsdHeader {
        &self.header
    }

    /// Size of the file in bytes.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Number of frames: one more than the highest frame number in the index.
    #[must_use]
    pub fn frame_count(&self) -> u64 {
        self.frame_count
    }

    /// All chunk names in the file, in name-list order (index = chunk id).
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The used index entries, sorted by frame and name id.
    #[must_use]
    pub fn index(&self) -> &[IndexEntry] {
        &self.index
    }

    /// The index entry of chunk `name` in `frame`, if that frame stores it.
    #[must_use]
    pub fn find(&self, frame: u64, name: &str) -> Option<IndexEntry> {
        let id = u16::try_from(self.names.iter().position(|n| n == name)?).ok()?;
        self.index
            .binary_search_by_key(&(frame, id), |e| (e.frame, e.id))
            .ok()
            .map(|i| self.index[i])
    }

    /// Reads chunk `name` of `frame`; `Ok(None)` when that frame does not store it.
    ///
    /// # Errors
    /// [`GsdError::FrameOutOfRange`] for a frame past the end, [`GsdError::Io`] when the
    /// source fails.
    pub fn read_chunk(&mut self, frame: u64, name: &str) -> Result<Option<Chunk>, GsdError> {
        if frame >= self.frame_count {
            return Err(GsdError::FrameOutOfRange {
                frame,
                count: self.frame_count,
            });
        }
        let Some(e) = self.find(frame, name) else {
            return Ok(None);
        };
        // byte_len was checked against the file size when the index was read.
        let len = e.byte_len().unwrap_or(u64::MAX);
        let bytes = read_at(
            &mut self.src,
            self.size,
            &format!("chunk {name} of frame {frame}"),
            e.location,
            len,
        )?;
        Ok(Some(Chunk {
            n: e.n,
            m: e.m,
            values: ChunkValues::decode(e.element_type, &bytes),
        }))
    }

    /// Gives the source back.
    #[must_use]
    pub fn into_inner(self) -> R {
        self.src
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn name_list_parsing() {
        let mut block = b"a/b\0cd\0".to_vec();
        block.resize(64, 0);
        assert_eq!(parse_names(&block).unwrap(), vec!["a/b", "cd"]);
        let mut bad = block.clone();
        bad[63] = b'x';
        assert!(parse_names(&bad).is_err());
        assert!(parse_names(&[]).unwrap().is_empty());
        let mut utf = vec![0xFF, 0xFE, 0];
        utf.resize(64, 0);
        assert!(parse_names(&utf).is_err());
    }

    #[test]
    fn short_input_is_truncated_error() {
        let err = GsdFile::open(std::io::Cursor::new(vec![0u8; 10])).unwrap_err();
        assert!(matches!(err, GsdError::Truncated { size: 10, .. }), "{err}");
    }
}
