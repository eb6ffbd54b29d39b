//! Builds the application: pool, migrations, and an HTTP server on a bound listener
//! (port 0 picks a free port, which the tests use).

use actix_web::dev::Server;
use actix_web::{middleware, web, App, HttpServer};
use std::net::TcpListener;
use std::sync::Arc;

use crate::config::Settings;
use crate::http::{self, AppState};
use crate::store::{self, Pool};

pub struct Application {
    port: u16,
    server: Server,
    pool: Pool,
}

impl Application {
    /// Connects, migrates and binds. The server starts when `run` is awaited.
    pub fn build(settings: Settings) -> anyhow::Result<Application> {
        let pool = store::build_pool(&settings.database, settings.pool_size)?;
        {
            let mut conn = pool.get()?;
            let n = store::run_migrations(&mut conn)?;
            if n > 0 {
                tracing::info!(applied = n, "migrations applied");
            }
        }
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        Self::with_listener(settings, pool, listener)
    }

    pub fn with_listener(
        settings: Settings,
        pool: Pool,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let limiter = Arc::new(http::limits::Limiter::new(settings.respondent_limit));
        let cache: Arc<crate::store::cache::Cache> = Default::default();
        let writer = crate::ingest::Writer::start(pool.clone(), &settings.database, cache.clone())?;
        let state = AppState {
            pool: pool.clone(),
            settings: Arc::new(settings),
            writer,
            cache,
            limiter,
        };
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(state.clone()))
                .wrap(http::security_headers())
                .wrap(middleware::from_fn(http::limits::body_deadline))
                .wrap(middleware::from_fn(http::log_requests))
                .configure(http::configure)
        })
        .shutdown_timeout(30)
        // Slow clients: the request head must arrive within 10 s, idle keep-alive ends after 30 s;
        // bodies have their own deadline (`http::limits::body_deadline`).
        .client_request_timeout(std::time::Duration::from_secs(10))
        .client_disconnect_timeout(std::time::Duration::from_secs(5))
        .keep_alive(std::time::Duration::from_secs(30))
        .listen(listener)?
        .run();
        Ok(Application { port, server, pool })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> Pool {
        self.pool.clone()
    }

    /// Serves until stopped; SIGINT/SIGTERM drain in-flight requests first.
    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }
}
