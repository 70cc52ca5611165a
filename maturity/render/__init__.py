"""The output layer: language-neutral documents built from typed results, and one writer
per format."""
