"""The Scrapy project behind ``siteaudit crawl``: spider, middlewares, storage pipeline."""
