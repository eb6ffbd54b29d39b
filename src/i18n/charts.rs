//! Chart strings (filled by the charts module).
