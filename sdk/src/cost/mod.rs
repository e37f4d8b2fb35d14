//! Cost estimates from Terraform JSON: monthly list prices of every resource that has one,
//! schedule- and spot-aware, plus per-request figures from a traffic profile.
