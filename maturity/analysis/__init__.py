"""The analysis layer: explanations, what-if, diff, sensitivity, verification, rule tests.

Computation only: each analysis returns typed results; the render layer turns them into text.
"""
