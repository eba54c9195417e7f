"""The scheduler: queue, framework, plugins."""
