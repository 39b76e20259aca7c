"""jixiao: publish 项目支出绩效目标自评表 as a static site, scored by the official rules."""

__version__ = "0.1.0"
