//! Errors a caller can fix: a request that is not valid JSON, has the wrong shape, or
//! names something the ruleset does not know; and ruleset diagnostics as JSON.

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

/// A ruleset diagnostic located by file, line and column, as JSON: the one shape the CLI
/// (`legal validate --format json`), the HTTP service (a refused reload) and the browser
/// (a ruleset file that does not check) all report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct DiagnosticDoc {
    /// `error` or `warning`.
    pub severity: String,
    /// Stable code of the check that failed.
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<usize>,
    /// What the marked text is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// How to fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl DiagnosticDoc {
    /// Every diagnostic, located in its source, errors before warnings and otherwise in
    /// file order.
    pub fn list(diagnostics: &lagrum_dsl::Diagnostics, sources: &lagrum_dsl::Sources) -> Vec<DiagnosticDoc> {
        let mut out: Vec<DiagnosticDoc> = diagnostics
            .located(sources)
            .into_iter()
            .map(DiagnosticDoc::from)
            .collect();
        out.sort_by_key(|d| d.severity != "error");
        out
    }
}

impl From<lagrum_dsl::Located> for DiagnosticDoc {
    fn from(l: lagrum_dsl::Located) -> Self {
        DiagnosticDoc {
            severity: match l.severity {
                lagrum_dsl::Severity::Error => "error",
                lagrum_dsl::Severity::Warning => "warning",
            }
            .to_string(),
            code: l.code.to_string(),
            message: l.message,
            file: l.file,
            line: l.line,
            column: l.column,
            end_line: l.end_line,
            end_column: l.end_column,
            label: l.label,
            help: l.help,
        }
    }
}
