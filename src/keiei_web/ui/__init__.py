"""The user interface shell: dashboard per role, navigation, display filters, CSS, error pages."""
