//! Klantspiegel: compare how employees see their service with how customers see it.
//!
//! Data moves one way: `http` parses and authorises, `store` writes and aggregates,
//! `engine` computes the comparison, `charts` draws it.

pub mod app;
pub mod charts;
pub mod config;
pub mod csvio;
pub mod demo;
pub mod domain;
pub mod engine;
pub mod error;
pub mod gallery;
pub mod http;
pub mod i18n;
pub mod ingest;
pub mod loadtest;
pub mod mail;
pub mod oidc;
pub mod outbox;
pub mod password;
pub mod pdf;
pub mod report;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod workbook;
