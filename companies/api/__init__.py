"""The platform-integration API (DRF, versioned under /api/v1/): filings, uploads, item batches."""
