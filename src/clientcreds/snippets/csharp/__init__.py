"""C# targets: ``csharp-httpclient`` (``System.Net.Http``, Mono and .NET 6+), over `quoting`."""
