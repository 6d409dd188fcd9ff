//! What went wrong with a call, in onsdesk's own terms: typed here, put into words at the edge
//! (`Display` for the command line, which speaks English; the window's `Lang::api_error` for
//! its language). What came from elsewhere (a library's error, an excerpt of a body) is carried
//! as text, already printable and short.

use std::fmt;

use super::client::MAX_REPLY_BYTES;

/// Why no usable reply came.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportCause {
    /// The call's own timeout (`--timeout`) passed first.
    Timeout,
    /// The command's deadline (`--deadline`) passed first.
    Deadline,
    /// The network library's error and its causes, printable and short
    /// (`crate::text::error_chain`).
    Network(String),
}

impl fmt::Display for TransportCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("no reply in time"),
            Self::Deadline => f.write_str("no reply before the deadline"),
            Self::Network(said) => f.write_str(said),
        }
    }
}

/// Which list an answer was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOf {
    /// A region's instances.
    Instances,
    /// An instance's topics.
    Topics,
    /// An instance's groups.
    Groups,
}

/// Why a reply came but is not an API reply, or not one to believe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyProblem {
    /// A redirect (Alibaba Cloud's API never redirects); where to, printable and short.
    Redirected { location: Option<String> },
    /// A body larger than [`MAX_REPLY_BYTES`]: not read.
    TooLarge,
    /// An error envelope whose RequestId is not one (shown), with its Code and Message.
    BadRequestId {
        shown: String,
        code: String,
        message: String,
    },
    /// A body starting like JSON that is not: the parser's words, an excerpt.
    NotJson { error: String, excerpt: String },
    /// A success body with an error's HTTP status.
    NotAnError { excerpt: String },
    /// A body that says the call failed (`"Success": false`) without an error `Code`.
    SaysFailed { excerpt: String },
    /// JSON of another shape than the action's reply: the parser's words, an excerpt.
    UnexpectedShape { error: String, excerpt: String },
    /// Nothing at all.
    Empty,
    /// Neither JSON nor an XML error (a proxy's page…): an excerpt.
    NotApi { excerpt: String },
    /// A success reply without a RequestId.
    NoRequestId,
    /// An identifier in a success reply that fails its check: what it should be, as shown.
    BadId { what: &'static str, shown: String },
    /// A base info about another instance than the one asked about.
    OtherInstance { described: String, asked: String },
    /// A list with entries left out (they failed their checks): it cannot show what is not
    /// there.
    LeftOut(ListOf),
}

impl ReplyProblem {
    /// About a success reply's content (its HTTP status, 200, says nothing): its words
    /// leave the status out.
    pub fn is_about_content(&self) -> bool {
        matches!(
            self,
            Self::NoRequestId | Self::BadId { .. } | Self::OtherInstance { .. } | Self::LeftOut(_)
        )
    }
}

impl fmt::Display for ReplyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Redirected { location } => write!(
                f,
                "the endpoint redirected to {}; Alibaba Cloud's API never redirects, so it was \
                 not followed and nothing was sent there (check the endpoint and any proxy)",
                location
                    .as_deref()
                    .unwrap_or("nowhere (no Location header)")
            ),
            Self::TooLarge => write!(
                f,
                "a reply larger than {} MiB, which is not an API reply; not read",
                MAX_REPLY_BYTES >> 20
            ),
            Self::BadRequestId {
                shown,
                code,
                message,
            } => write!(
                f,
                "the reply's RequestId is not a RequestId ({shown}); {code}: {message}"
            ),
            Self::NotJson { error, excerpt } => {
                write!(f, "the JSON reply could not be read ({error}): {excerpt}")
            }
            Self::NotAnError { excerpt } => {
                write!(f, "a body that is not an error: {excerpt}")
            }
            Self::SaysFailed { excerpt } => write!(
                f,
                "a reply that says the call failed (\"Success\": false) but gives no error \
                 Code: {excerpt}"
            ),
            Self::UnexpectedShape { error, excerpt } => {
                write!(f, "unexpected reply shape ({error}): {excerpt}")
            }
            Self::Empty => f.write_str("an empty body"),
            Self::NotApi { excerpt } => write!(f, "not an API reply: {excerpt}"),
            Self::NoRequestId => {
                f.write_str("the reply has no RequestId: the reply is not trusted")
            }
            Self::BadId { what, shown } => write!(
                f,
                "the reply's {what} '{shown}' is not valid: the reply is not trusted"
            ),
            Self::OtherInstance { described, asked } => write!(
                f,
                "the reply describes {described}, not {asked} that was asked about: the reply \
                 is not trusted"
            ),
            Self::LeftOut(list) => {
                let which = match list {
                    ListOf::Instances => "the region's list",
                    ListOf::Topics => "the instance's topic list",
                    ListOf::Groups => "the instance's group list",
                };
                write!(
                    f,
                    "{which} had entries that failed their checks, so it cannot show what is \
                     not there"
                )
            }
        }
    }
}

/// Why a call was not made, or its answer is missing for a reason of onsdesk's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetupProblem {
    /// The HTTPS client could not be made: the library's words.
    Https(String),
    /// A listing's task ended without an answer.
    ListingStopped,
    /// No look was made (no time was left for one).
    NoLook,
    /// The window reads the details of this many instances of a list, no more.
    DetailsNotRead { limit: usize },
    /// A detail read ended without an answer.
    DetailsLost,
}

impl fmt::Display for SetupProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Https(said) => write!(f, "could not set up HTTPS: {said}"),
            Self::ListingStopped => f.write_str("the listing stopped unexpectedly"),
            Self::NoLook => f.write_str("no look was made"),
            Self::DetailsNotRead { limit } => {
                write!(f, "details are read for the first {limit} instances only")
            }
            Self::DetailsLost => f.write_str("the details could not be read"),
        }
    }
}
