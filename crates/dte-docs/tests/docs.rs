//! dte-docs's one integration-test binary: the catalog workbook and rosters.

mod roster;
mod xlsx;
