"""What a reply means at each stage when it makes none of the moves every stage listens for
(bot.prescreen.moves): one module a stage, and the keeping of answers they share."""
