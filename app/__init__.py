"""The composition root: the app's resources, built once, and what operators read (logs, metrics)."""
