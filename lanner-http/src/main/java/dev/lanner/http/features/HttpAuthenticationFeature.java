package dev.lanner.http.features;

import java.security.Principal;

/** The authenticated user of the request, set by authentication middleware or by the module. */
public interface HttpAuthenticationFeature {
    Principal user();
    void setUser(Principal user);
}
