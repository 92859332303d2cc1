//! dte-docs's one integration-test binary: the catalog workbook, rosters, score sheets, the
//! continuing-education hours record and the limits on what an upload may expand to.

mod limits;
mod roster;
mod scores;
mod xlsx;
