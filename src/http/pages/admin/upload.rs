//! The body of a file upload (`multipart/form-data`): its named parts.

/// Largest upload: a 20 MB CSV and the form around it.
pub const LIMIT: usize = 20 * 1024 * 1024 + 64 * 1024;

/// The parts of a multipart/form-data body: (name, content).
pub fn multipart(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Some(boundary) = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_string())
    else {
        return vec![];
    };
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(start) = find(rest, &delimiter) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let Some(end) = find(rest, &delimiter) else {
            break;
        };
        let part = &rest[..end];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        if let Some(split) = find(part, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&part[..split]).to_string();
            let name = head
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix("name="))
                .map(|n| {
                    n.split(['\r', '\n'])
                        .next()
                        .unwrap_or(n)
                        .trim_matches('"')
                        .to_string()
                });
            if let Some(name) = name {
                parts.push((name, part[split + 4..].to_vec()));
            }
        }
    }
    parts
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_give_their_named_parts() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\naudience,team\r\ncustomer,Balie\r\n\r\n--XyZ--\r\n";
        let parts = multipart("multipart/form-data; boundary=XyZ", body);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], ("csrf".to_string(), b"abc".to_vec()));
        assert_eq!(parts[1].0, "file");
        assert_eq!(parts[1].1, b"audience,team\r\ncustomer,Balie\r\n".to_vec());
        assert!(multipart("multipart/form-data", body).is_empty());
    }
}
