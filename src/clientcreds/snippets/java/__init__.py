"""Java targets: ``java-httpclient`` (JDK 17 ``java.net.http``), over one quoting module."""
