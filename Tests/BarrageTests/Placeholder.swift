// placeholder (local only; the lead owns BarrageTests)
