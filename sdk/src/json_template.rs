//! JSON payload templates (filled in by the payload work).
