"""Cases (案件): one company's use of one programme, from consultation to completion."""
