# Images for the BotFleet silo and the standalone job server, from one build.
#
#   docker build --target silo      -t botfleet-silo .
#   docker build --target jobserver -t botfleet-jobserver .
#
# Only classic Dockerfile instructions are used (no RUN --mount, no COPY --link, no syntax directive), so the
# legacy builder behind Debian's docker-compose 1.29 builds it as well as BuildKit does.

# ---- build: restore once, then publish each app in its own stage ------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# What restore reads, first, so the restore layer is reused until a package or a project reference changes.
# global.json pins the SDK (10.0.401, rolling forward to later feature bands); Directory.Build.props adds the
# banned-API analyzer and reads eng/BannedSymbols.txt at build time. Only the two apps' project graphs are
# restored (not Orleans.sln, which would also restore the tests' and benchmarks' packages).
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY eng/ eng/
COPY src/BotFleet.Contracts/BotFleet.Contracts.csproj src/BotFleet.Contracts/
COPY src/BotFleet.Settings/BotFleet.Settings.csproj   src/BotFleet.Settings/
COPY src/BotFleet.JobApi.Contracts/BotFleet.JobApi.Contracts.csproj src/BotFleet.JobApi.Contracts/
COPY src/BotFleet.JobApi.Client/BotFleet.JobApi.Client.csproj       src/BotFleet.JobApi.Client/
COPY src/BotFleet.JobServer/BotFleet.JobServer.csproj src/BotFleet.JobServer/
COPY src/BotFleet.JobServer.Host/BotFleet.JobServer.Host.csproj src/BotFleet.JobServer.Host/
COPY src/BotFleet.Scheduling/BotFleet.Scheduling.csproj src/BotFleet.Scheduling/
COPY src/BotFleet.Storage/BotFleet.Storage.csproj     src/BotFleet.Storage/
COPY silo/BotFleet.Silo.csproj                        silo/
# The two apps' graphs: the silo (which serves the job server library too) and the standalone job server's host.
RUN dotnet restore silo/BotFleet.Silo.csproj && dotnet restore src/BotFleet.JobServer.Host/BotFleet.JobServer.Host.csproj

# .editorconfig sets the analyzers' rules: without it the build (warnings as errors) fails on rules the repo turns off.
COPY .editorconfig ./
COPY src/ src/
COPY silo/ silo/

FROM build AS publish-jobserver
RUN dotnet publish src/BotFleet.JobServer.Host/BotFleet.JobServer.Host.csproj -c Release --no-restore \
        -p:UseAppHost=false -o /app

FROM build AS publish-silo
RUN dotnet publish silo/BotFleet.Silo.csproj -c Release --no-restore -p:UseAppHost=false -o /app

# ---- runtime: the ASP.NET Core runtime only (no SDK), shared by both apps ----------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The health probe. The aspnet image has neither curl nor wget, and a compose/`docker run` health check runs a
# command inside the container. curl (no recommended packages, apt lists removed: a few MB) gives a real HTTP check
# that fails on any status but 2xx (`curl -fsS`), which a bash /dev/tcp one-liner cannot do reliably.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The content root is /app and relative paths resolve against it. data/ is the one place the app user may write:
# the SQLite files of the embedded defaults (a volume belongs there). On PostgreSQL nothing is written.
RUN mkdir data && chown "$APP_UID:$APP_UID" data
# The aspnet image sets ASPNETCORE_HTTP_PORTS=8080. Each app sets ASPNETCORE_URLS instead (without `urls` the silo
# listens on 127.0.0.1:5080, unreachable from outside the container); emptying HTTP_PORTS keeps Kestrel from logging
# a warning that URLS overrides it.
ENV ASPNETCORE_HTTP_PORTS=

# ---- jobserver: docker build --target jobserver ----------------------------------------------------------------
FROM runtime AS jobserver
ENV ASPNETCORE_URLS=http://+:5080 \
    JobServer__DatabasePath=data/botfleet-jobs.db
EXPOSE 5080
COPY --from=publish-jobserver /app ./
# The non-root user the aspnet image provides (app, UID 1654).
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:5080/health/ready || exit 1
ENTRYPOINT ["dotnet", "BotFleet.JobServer.Host.dll"]

# ---- silo: docker build --target silo (also the default target) ------------------------------------------------
FROM runtime AS silo
# HTTP (dashboard at /dashboard, health, and the job API when embedded), silo-to-silo, gateway (clients, the CLI).
# Alone (`docker run -p 8080:8080 botfleet-silo`) it is the embedded default, its job server on this port.
ENV ASPNETCORE_URLS=http://+:8080 \
    BotFleet__Silo__JobServerUrl=http://127.0.0.1:8080
EXPOSE 8080 11111 30000
COPY --from=publish-silo /app ./
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "BotFleet.Silo.dll"]
