"""The penalties app in the admin. Its models (escalation policies, cases, notices) arrive with the penalties
work and register here on core.admin.ReadOnlyAdmin, like every other app's."""
