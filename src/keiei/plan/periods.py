"""Fiscal periods as year and month ("YYYY-MM"), the way Japanese statements name a 決算期.

A plan never needs days: a fiscal year is named by the month it ends in, and the monthly cash
table by its month. Keeping one small value type avoids string arithmetic on "2025-03".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar month; as a fiscal year it is the month the year ends in."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse "YYYY-MM" (the schema has already checked the shape)."""
        year, month = text.split("-")[:2]
        return cls(int(year), int(month))

    @property
    def index(self) -> int:
        """Months since year 0: makes gaps and ordering plain integer arithmetic."""
        return self.year * 12 + self.month - 1

    def plus_months(self, months: int) -> Period:
        index = self.index + months
        return Period(index // 12, index % 12 + 1)

    def plus_years(self, years: int) -> Period:
        return Period(self.year + years, self.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
