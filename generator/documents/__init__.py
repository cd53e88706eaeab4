"""The document kinds (poster, handbook, onboarding packets) and the build that runs the pipeline for each."""
