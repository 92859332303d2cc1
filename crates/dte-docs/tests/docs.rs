//! dte-docs's one integration-test binary: the catalog workbook, rosters, score sheets and the
//! continuing-education hours record.

mod roster;
mod scores;
mod xlsx;
