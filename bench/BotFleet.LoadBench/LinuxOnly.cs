// The harness reads /proc for CPU and memory and runs PostgreSQL through runuser/pg_ctl: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
