"""Case models, one module per concept: the case, its banks, its audit trail, claims, monitoring."""

from keiei_web.cases.models.audit import CaseEvent
from keiei_web.cases.models.banks import BankResponse, BankResponseKind, BankStatus, CaseBank
from keiei_web.cases.models.case import Case, Program
from keiei_web.cases.models.claims import ClaimKind, ClaimStatus, PaymentClaim
from keiei_web.cases.models.monitoring import MonitoringSession

__all__ = [
    "BankResponse",
    "BankResponseKind",
    "BankStatus",
    "Case",
    "CaseBank",
    "CaseEvent",
    "ClaimKind",
    "ClaimStatus",
    "MonitoringSession",
    "PaymentClaim",
    "Program",
]
