package dev.pixivdic.support.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Handlers for named signals ({@code INT}, {@code TERM}) through {@code sun.misc.Signal}
 * (module jdk.unsupported, reached by reflection so the build stays free of warnings). The JVM's
 * own handling of SIGINT and SIGTERM runs the shutdown hooks and exits with 130 or 143, but
 * tells no hook which of the two came; a handler installed here is told.
 */
public final class Signals {

  private Signals() {}

  /**
   * Replaces the handlers of the signals {@code codes} names (each with the code it stands for,
   * e.g. {@code INT} → 130): {@code onSignal} gets the code, on the JVM's signal thread. Returns
   * the handlers replaced, for {@link #restore}.
   *
   * @throws UnsupportedOperationException when {@code sun.misc.Signal} is missing or refuses a
   *     signal; the handlers already replaced are then put back
   */
  public static Map<Object, Object> handle(Map<String, Integer> codes, IntConsumer onSignal) {
    Map<Object, Object> previous = new LinkedHashMap<>();
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Method handle = signal.getMethod("handle", signal, handler);
      for (Map.Entry<String, Integer> e : codes.entrySet()) {
        Object sig = signal.getConstructor(String.class).newInstance(e.getKey());
        int code = e.getValue();
        InvocationHandler onCall = (proxy, method, args) -> {
          if (method.getName().equals("handle")) {
            onSignal.accept(code);
            return null;
          }
          return method.getDeclaringClass() == Object.class ? objectMethod(proxy, method, args)
              : null;
        };
        Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
            onCall);
        previous.put(sig, handle.invoke(null, sig, h));
      }
      return previous;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      restore(previous);
      throw new UnsupportedOperationException("signal handlers unavailable: " + cause(e), e);
    }
  }

  /**
   * Puts back handlers {@link #handle} replaced. Returns why that failed (the handlers then stay
   * as they are), or null.
   */
  public static String restore(Map<Object, Object> previous) {
    if (previous.isEmpty()) {
      return null;
    }
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Method handle = signal.getMethod("handle", signal, handler);
      for (Map.Entry<Object, Object> e : previous.entrySet()) {
        handle.invoke(null, e.getKey(), e.getValue());
      }
      return null;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return cause(e);
    }
  }

  /** What went wrong, from inside a reflective call's wrapper ("Signal already used by VM"). */
  private static String cause(Throwable e) {
    Throwable t = e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null
        ? e.getCause() : e;
    return t.toString();
  }

  private static Object objectMethod(Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      default -> "pixiv signal handler";
    };
  }
}
