"""The council's pages: cases by state, deadlines, subsidy totals by fiscal year, CSV export."""
