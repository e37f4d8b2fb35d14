//! @generated placeholder
