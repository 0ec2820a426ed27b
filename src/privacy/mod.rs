//! Privacy (AVG): a person's data download and the anonymising deletion of an account.
//! It sits above every feature and asks each for its part (`crate::personal::Part`).

pub mod service;
