package io.warden.server.http;

import com.codahale.metrics.MetricRegistry;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.util.concurrent.TimeUnit;

/** A timer per resource method ({@code warden.http.KvResource.put}) and a meter per status class. */
public final class RequestTimer implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String STARTED = "warden.started";
    private final MetricRegistry registry;
    @Context
    private ResourceInfo resource;

    public RequestTimer(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object started = request.getProperty(STARTED);
        String name = resource != null && resource.getResourceMethod() != null
            ? resource.getResourceClass().getSimpleName() + "." + resource.getResourceMethod().getName() : "unmatched";
        if (started instanceof Long t) {
            registry.timer("warden.http." + name).update(System.nanoTime() - t, TimeUnit.NANOSECONDS);
        }
        registry.meter("warden.http.responses." + response.getStatus() / 100 + "xx").mark();
    }
}
