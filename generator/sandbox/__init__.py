"""The local TOP gateway: `topgen serve`, which answers every API in the specs."""
