//! Errors a caller can fix: a request that is not valid JSON, has the wrong shape, or
//! names something the ruleset does not know.

/// Why a request could not be judged. Each variant says where (a JSON path) and has a
/// stable machine code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The text is not JSON.
    #[error("ogiltig JSON (rad {line}, kolumn {column}): {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON of the wrong shape: a missing or unknown field, a value of the wrong type.
    #[error("{path}: {message}")]
    Shape { path: String, message: String },
    /// Well-formed, but not valid against the ruleset or the contract.
    #[error("{path}: {message}")]
    Invalid {
        path: String,
        code: &'static str,
        message: String,
    },
}

/// A request error as JSON, for the CLI, the HTTP service and the browser.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ErrorDoc {
    /// Stable machine code, e.g. `unknown_actor`.
    pub code: String,
    /// JSON path of the problem (`$` for the whole document).
    pub path: String,
    /// What is wrong, in Swedish.
    pub message: String,
}

impl RequestError {
    /// The error as a serializable document.
    pub fn to_doc(&self) -> ErrorDoc {
        ErrorDoc {
            code: self.code().to_string(),
            path: self.path().to_string(),
            message: self.to_string(),
        }
    }

    pub(crate) fn syntax(line: usize, column: usize, message: String) -> RequestError {
        RequestError::Syntax { line, column, message }
    }

    pub(crate) fn shape(path: String, message: String) -> RequestError {
        let path = if path.is_empty() || path == "." {
            "$".to_string()
        } else {
            path
        };
        RequestError::Shape { path, message }
    }

    pub(crate) fn invalid(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> RequestError {
        RequestError::Invalid {
            path: path.into(),
            code,
            message: message.into(),
        }
    }

    /// A stable code for machines: `invalid_json`, `invalid_shape`, `unknown_actor`, …
    pub fn code(&self) -> &'static str {
        match self {
            RequestError::Syntax { .. } => "invalid_json",
            RequestError::Shape { .. } => "invalid_shape",
            RequestError::Invalid { code, .. } => code,
        }
    }

    /// The JSON path of the problem (`$` for the whole document).
    pub fn path(&self) -> &str {
        match self {
            RequestError::Syntax { .. } => "$",
            RequestError::Shape { path, .. } | RequestError::Invalid { path, .. } => path,
        }
    }
}
