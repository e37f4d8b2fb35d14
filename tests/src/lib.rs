//! Test fixtures shared by the suite.
