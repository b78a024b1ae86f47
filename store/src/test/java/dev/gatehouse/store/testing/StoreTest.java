package dev.gatehouse.store.testing;

import dev.gatehouse.model.testing.TestClock;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class once per {@link StoreBackend}: on H2, then on PostgreSQL. Each run opens one
 * new, empty database for the whole class and closes it after the class's last test, so tests in a class share
 * it and keep apart by using data of their own (their own organization, say).
 *
 * <p>Constructors, test methods and {@code @BeforeEach}/{@code @AfterEach} methods may declare parameters of
 * these types ({@code @BeforeAll} methods run once for both runs, so they get none):
 * <ul>
 *   <li>{@link dev.gatehouse.store.Store} — the run's store;</li>
 *   <li>{@link TestClock} — the store's clock, starting at {@link TestClock#START} and moved only by tests;</li>
 *   <li>{@link StoreBackend} — the database of this run, to {@linkplain StoreBackend#open open} another store
 *       when a test needs one of its own.</li>
 * </ul>
 *
 * <pre>{@code
 * @StoreTest
 * class OrganizationRepositoryTest {
 *     private final Store store;
 *
 *     OrganizationRepositoryTest(Store store) {
 *         this.store = store;
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ClassTemplate
@ExtendWith(StoreTestExtension.class)
public @interface StoreTest {
}
