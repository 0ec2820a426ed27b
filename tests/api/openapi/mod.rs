//! The API matches its OpenAPI document: schemathesis runs against it (`schemathesis`),
//! and each kind of mismatch it once found has its own regression test (`document`).

mod document;
mod schemathesis;
