"""Course data kept as YAML: the glossary and the timeline."""
