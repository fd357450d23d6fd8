from tests.recommendations.ballots.helpers import deciding  # noqa: F401
