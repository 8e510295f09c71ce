package dev.lanner.module.internal.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanner.http.HttpContext;
import java.io.File;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What an in-process application's loader shares with the module, and what it keeps its own. */
class ApplicationClassLoaderTest {

    private static URL[] jacksonJars() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("jackson-") && entry.endsWith(".jar")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertThat(urls).as("Jackson's jars on the test class path").isNotEmpty();
        return urls.toArray(URL[]::new);
    }

    @Test
    void lannerAndSlf4jAreTheModulesWhileTheApplicationsLibrariesAreItsOwn() throws Exception {
        try (ApplicationClassLoader loader = new ApplicationClassLoader("app", jacksonJars(), getClass().getClassLoader())) {
            assertThat(loader.loadClass(HttpContext.class.getName())).isSameAs(HttpContext.class);
            assertThat(loader.loadClass("org.slf4j.Logger")).isSameAs(org.slf4j.Logger.class);
            Class<?> mapper = loader.loadClass(ObjectMapper.class.getName());
            assertThat(mapper).isNotSameAs(ObjectMapper.class);
            assertThat(mapper.getClassLoader()).isSameAs(loader);
            assertThat(loader.loadClass("java.util.List")).isSameAs(List.class);
            assertThat(loader.getResource("META-INF/MANIFEST.MF").toString()).contains("jackson-");
        }
    }

    @Test
    void theModulesOtherClassesAreNotVisibleToTheApplication() throws Exception {
        try (ApplicationClassLoader loader = new ApplicationClassLoader("app", new URL[0], getClass().getClassLoader())) {
            assertThat(ApplicationClassLoader.shared("dev.lanner.hosting.WebApplication")).isTrue();
            assertThat(ApplicationClassLoader.shared("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.loadClass(ObjectMapper.class.getName()))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void theCleanerClearsAThreadLocalValueOfTheApplicationOnAnotherThreadAndNothingElse() throws Exception {
        assertThat(ThreadLocalCleaner.available()).as("java.lang open to the tests, as lanner module opens it").isTrue();
        ThreadLocal<Object> local = new ThreadLocal<>();
        ThreadLocal<Object> mine = new ThreadLocal<>();
        CountDownLatch set = new CountDownLatch(1);
        CountDownLatch cleared = new CountDownLatch(1);
        AtomicReference<Object> after = new AtomicReference<>();
        AtomicReference<Object> mineAfter = new AtomicReference<>();
        try (ApplicationClassLoader loader = new ApplicationClassLoader("app", jacksonJars(), getClass().getClassLoader())) {
            Object applicationValue = loader.loadClass(ObjectMapper.class.getName()).getConstructor().newInstance();
            Thread loop = Thread.ofPlatform().name("test-loop").start(() -> {
                local.set(new java.lang.ref.SoftReference<>(applicationValue));
                mine.set("the module's own value");
                set.countDown();
                try {
                    cleared.await();
                } catch (InterruptedException e) {
                    return;
                }
                after.set(local.get());
                mineAfter.set(mine.get());
            });
            set.await();

            int count = ThreadLocalCleaner.clear(loader, "app");
            cleared.countDown();
            loop.join();

            assertThat(count).isEqualTo(1);
            assertThat(after.get()).isNull();
            assertThat(mineAfter.get()).isEqualTo("the module's own value");
        }
    }
}
